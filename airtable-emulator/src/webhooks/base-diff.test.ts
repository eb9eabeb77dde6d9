import { describe, expect, it } from 'vitest';
import type { BaseData } from '../model/store.ts';
import type { TableDef } from '../model/types.ts';
import { diffBase, isEmptyChangeSet } from './base-diff.ts';
import { snapshotBase } from './base-snapshot.ts';
import { filterChanges } from './payload-filter.ts';
import type { WebhookSpecification } from './specification.ts';

// The change set of a request and each webhook's share of it, for the changes the /v0 API cannot
// make yet (a field or a table destroyed) and so the HTTP specs cannot reach.

const asIs = (_field: unknown, value: unknown) => value;

function table(id: string, fieldIds: string[]): TableDef {
  return {
    id,
    name: id,
    primaryFieldId: fieldIds[0] as string,
    fields: fieldIds.map((f) => ({ id: f, name: f, type: 'singleLineText' })),
    views: [{ id: `viw${id.slice(3)}`, name: 'Grid view', type: 'grid' }],
  };
}

function base(): BaseData {
  const tables = [table('tblAAAAAAAAAAAAAA', ['fldA1', 'fldA2']), table('tblBBBBBBBBBBBBBB', ['fldB1'])];
  const records = new Map(tables.map((t) => [t.id, new Map()]));
  records.get('tblAAAAAAAAAAAAAA')?.set('rec1', {
    id: 'rec1',
    createdTime: '2026-01-01T00:00:00.000Z',
    lastModifiedTime: '2026-01-01T00:00:00.000Z',
    cells: { fldA1: 'one', fldA2: 'two' },
    cellModifiedTime: {},
  });
  return {
    id: 'appX',
    name: 'X',
    permissionLevel: 'create',
    tables,
    records,
    comments: new Map(),
    autoNumbers: new Map(),
  };
}

const spec = (filters: Record<string, unknown>): WebhookSpecification =>
  ({ options: { filters } }) as WebhookSpecification;

describe('diffBase', () => {
  it('finds nothing when nothing changed', () => {
    const b = base();
    expect(isEmptyChangeSet(diffBase(snapshotBase(b), b, asIs))).toBe(true);
  });

  it('reports a destroyed table and a destroyed field', () => {
    const b = base();
    const before = snapshotBase(b);
    b.tables = [{ ...(b.tables[0] as TableDef), fields: [(b.tables[0] as TableDef).fields[0] as never] }];
    b.records.delete('tblBBBBBBBBBBBBBB');
    const changes = diffBase(before, b, asIs);
    expect(changes.destroyedTableIds).toEqual(['tblBBBBBBBBBBBBBB']);
    expect(changes.changedTablesById.tblAAAAAAAAAAAAAA?.destroyedFieldIds).toEqual(['fldA2']);
  });
});

describe('filterChanges for destroyed schema', () => {
  const destroyed = () => {
    const b = base();
    const before = snapshotBase(b);
    b.tables = [{ ...(b.tables[0] as TableDef), fields: [(b.tables[0] as TableDef).fields[0] as never] }];
    return { b, changes: diffBase(before, b, asIs) };
  };

  it('gives destroyedTableIds to tableMetadata webhooks that take removals, and destroyedFieldIds to tableFields ones', () => {
    const { b, changes } = destroyed();
    expect(filterChanges(changes, b, spec({ dataTypes: ['tableMetadata'] }), 'publicApi')).toEqual({
      destroyedTableIds: ['tblBBBBBBBBBBBBBB'],
    });
    expect(filterChanges(changes, b, spec({ dataTypes: ['tableFields'] }), 'publicApi')).toEqual({
      changedTablesById: { tblAAAAAAAAAAAAAA: { destroyedFieldIds: ['fldA2'] } },
    });
  });

  it('holds them back from webhooks that do not take removals, watch other fields or another table', () => {
    const { b, changes } = destroyed();
    const none = [
      spec({ dataTypes: ['tableMetadata', 'tableFields'], changeTypes: ['add', 'update'] }),
      spec({ dataTypes: ['tableFields'], watchSchemasOfFieldIds: ['fldA1'] }),
      spec({ dataTypes: ['tableData'] }),
    ];
    for (const s of none) expect(filterChanges(changes, b, s, 'publicApi')).toBeUndefined();
    expect(
      filterChanges(
        changes,
        b,
        spec({ dataTypes: ['tableMetadata'], recordChangeScope: 'tblAAAAAAAAAAAAAA' }),
        'client',
      ),
    ).toBeUndefined();
  });
});
