import type { EmulatorStore } from '../model/store.ts';
import type { Fixture, FixtureBase } from './fixture-schema.ts';

const COMPUTED = new Set(['formula', 'createdTime', 'lastModifiedTime']);

/** Snapshots bases in the fixture format, so `--seed FILE.json` restores them. */
export function exportFixture(store: EmulatorStore, baseIds?: string[]): Fixture {
  const bases = [...store.bases.values()].filter((b) => baseIds === undefined || baseIds.includes(b.id));
  return {
    version: 1,
    users: [...store.users.values()].map((u) => ({ ...u })),
    bases: bases.map(
      (base): FixtureBase => ({
        id: base.id,
        name: base.name,
        permissionLevel: base.permissionLevel,
        tables: base.tables.map((table) => ({
          id: table.id,
          name: table.name,
          ...(table.description === undefined ? {} : { description: table.description }),
          primaryField: table.primaryFieldId,
          fields: table.fields.map((f) => structuredClone(f)),
          views: table.views.map((v) => ({
            id: v.id,
            name: v.name,
            type: v.type,
            ...(v.filterByFormula === undefined ? {} : { filterByFormula: v.filterByFormula }),
            ...(v.sorts ? { sort: v.sorts.map((s) => ({ field: s.fieldId, direction: s.direction })) } : {}),
            ...(v.visibleFieldIds ? { visibleFields: [...v.visibleFieldIds] } : {}),
          })),
          records: [...(base.records.get(table.id)?.values() ?? [])].map((r) => {
            const fields: Record<string, unknown> = {};
            for (const field of table.fields) {
              const cell = r.cells[field.id];
              if (cell !== undefined && !COMPUTED.has(field.type)) fields[field.id] = structuredClone(cell);
            }
            const comments = base.comments.get(r.id) ?? [];
            return {
              id: r.id,
              createdTime: r.createdTime,
              fields,
              ...(comments.length === 0
                ? {}
                : {
                    comments: comments.map((c) => ({
                      id: c.id,
                      authorId: c.author.id,
                      text: c.text,
                      createdTime: c.createdTime,
                      lastUpdatedTime: c.lastUpdatedTime,
                      ...(c.parentCommentId ? { parentCommentId: c.parentCommentId } : {}),
                    })),
                  }),
            };
          }),
        })),
      }),
    ),
  };
}
