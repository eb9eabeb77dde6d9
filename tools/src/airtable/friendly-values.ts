import type { AirtableRecord, BaseSchema, TableSchema } from '@airsuite/airtable-gateway';
import type { ToolContext } from '../core/tool-context.ts';
import { isTableAllowed } from './access.ts';
import { callAirtable } from './call-airtable.ts';
import { primaryField } from './schema.ts';

/** Record ids per `OR(RECORD_ID()=…)` lookup: keeps the URL well under Airtable's limit. */
export const LINK_LOOKUP_CHUNK = 50;

export interface LinkRef {
  id: string;
  name?: string;
}

export interface FriendlyRecord {
  id: string;
  fields: Record<string, unknown>;
}

/** `{id → primary value}` for records of one table: one list call per chunk of ids. */
export async function primaryNames(
  ctx: ToolContext,
  baseId: string,
  table: TableSchema,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const primary = primaryField(table).name;
  for (let i = 0; i < ids.length; i += LINK_LOOKUP_CHUNK) {
    const chunk = ids.slice(i, i + LINK_LOOKUP_CHUNK);
    const formula = `OR(${chunk.map((id) => `RECORD_ID()='${id.replace(/[^A-Za-z0-9]/g, '')}'`).join(',')})`;
    const records = await callAirtable(
      () =>
        ctx.airtable.listRecords(
          baseId,
          table.id,
          { fields: [primary], filterByFormula: formula },
          { signal: ctx.signal },
        ),
      { baseId },
    );
    for (const record of records) names.set(record.id, displayValue(record.fields[primary]));
  }
  return names;
}

function displayValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object')
    return Array.isArray(value) ? value.map(displayValue).join(', ') : JSON.stringify(value);
  return String(value);
}

/**
 * Records in the form a model reads and writes back: links as `[{id, name}]` (names looked up
 * in one batched list per linked table; none for a table the policy hides), attachments as
 * `[{filename, url}]`, everything else as Airtable's JSON.
 */
export async function friendlyRecords(
  ctx: ToolContext,
  baseId: string,
  schema: BaseSchema,
  table: TableSchema,
  records: readonly AirtableRecord[],
): Promise<FriendlyRecord[]> {
  const wanted = new Map<string, Set<string>>();
  for (const field of table.fields) {
    if (field.type !== 'multipleRecordLinks') continue;
    const target = (field.options as { linkedTableId?: string } | undefined)?.linkedTableId;
    if (!target) continue;
    for (const record of records) {
      const ids = record.fields[field.name];
      if (!Array.isArray(ids)) continue;
      const set = wanted.get(target) ?? new Set<string>();
      for (const id of ids) if (typeof id === 'string') set.add(id);
      wanted.set(target, set);
    }
  }
  const names = new Map<string, string>();
  for (const [tableId, ids] of wanted) {
    const linked = schema.tables.find((t) => t.id === tableId);
    if (!linked || !isTableAllowed(ctx.policy, baseId, linked) || ids.size === 0) continue;
    for (const [id, name] of await primaryNames(ctx, baseId, linked, [...ids])) names.set(id, name);
  }
  const byName = new Map(table.fields.map((f) => [f.name, f.type]));
  return records.map((record) => {
    const fields: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(record.fields)) {
      const type = byName.get(name);
      if (type === 'multipleRecordLinks' && Array.isArray(value)) {
        fields[name] = value.map(
          (id: string): LinkRef => (names.has(id) ? { id, name: names.get(id) } : { id }),
        );
      } else if (type === 'multipleAttachments' && Array.isArray(value)) {
        fields[name] = value.map((a: { filename?: string; url?: string }) => ({
          filename: a.filename,
          url: a.url,
        }));
      } else fields[name] = value;
    }
    return { id: record.id, fields };
  });
}
