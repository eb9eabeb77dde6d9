import type { AirtableRecord } from '@airsuite/airtable-gateway';
import { callAirtable } from '../airtable/call-airtable.ts';
import type { ToolContext } from '../core/tool-context.ts';

const IDS_PER_QUERY = 100;

/** The records with these ids (missing ones are simply absent), for dry runs. */
export async function recordsById(
  ctx: ToolContext,
  baseId: string,
  tableId: string,
  ids: readonly string[],
  fields?: string[],
): Promise<Map<string, AirtableRecord>> {
  const found = new Map<string, AirtableRecord>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
    const chunk = unique.slice(i, i + IDS_PER_QUERY);
    const formula = `OR(${chunk.map((id) => `RECORD_ID()='${id.replace(/'/g, '')}'`).join(',')})`;
    const records = await callAirtable(
      () =>
        ctx.airtable.listRecords(
          baseId,
          tableId,
          { filterByFormula: formula, ...(fields ? { fields } : {}) },
          { signal: ctx.signal },
        ),
      { baseId },
    );
    for (const r of records) found.set(r.id, r);
  }
  return found;
}
