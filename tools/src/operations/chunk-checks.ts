import type { AirtableRecord, Fields } from '@airsuite/airtable-gateway';
import { callAirtable } from '../airtable/call-airtable.ts';
import type { ToolContext } from '../core/tool-context.ts';
import { recordsById } from '../write/record-lookup.ts';
import { cellMatches } from './cell-match.ts';
import type { LandedRecord } from './operation-store.ts';

/** What a chunk whose answer was lost turned out to be, read back from Airtable. */
export type ChunkCheck = LandedRecord[] | 'not_landed' | 'unknown';

/**
 * Airtable's clock and ours may disagree; records created this long before the chunk could
 * have been sent are still looked at (a match must also agree on every sent cell).
 */
export const CLOCK_MARGIN_MS = 5 * 60_000;

const matches = (sent: Fields, record: AirtableRecord) =>
  Object.entries(sent).every(([name, value]) => cellMatches(value, record.fields[name]));

/**
 * A create whose answer was lost landed if Airtable holds, created since, a record for each of
 * the chunk's records with the cells that were sent (Airtable applies a batch whole or not at
 * all, so it is every record or none). Records this operation already claimed are skipped.
 */
export async function checkCreated(
  ctx: ToolContext,
  where: { baseId: string; tableId: string },
  chunk: readonly Fields[],
  firstIndex: number,
  since: Date,
  exclude: ReadonlySet<string>,
): Promise<ChunkCheck> {
  const after = new Date(since.getTime() - CLOCK_MARGIN_MS).toISOString();
  const fields = [...new Set(chunk.flatMap((f) => Object.keys(f)))];
  const candidates = (
    await callAirtable(
      () =>
        ctx.airtable.listRecords(
          where.baseId,
          where.tableId,
          {
            filterByFormula: `IS_AFTER(CREATED_TIME(), DATETIME_PARSE('${after}'))`,
            ...(fields.length ? { fields } : {}),
          },
          { signal: ctx.signal },
        ),
      { baseId: where.baseId },
    )
  )
    .filter((r) => !exclude.has(r.id))
    .sort((a, b) => Date.parse(a.createdTime) - Date.parse(b.createdTime));
  const taken = new Set<string>();
  const landed: LandedRecord[] = [];
  for (const [offset, sent] of chunk.entries()) {
    const found = candidates.find((r) => !taken.has(r.id) && matches(sent, r));
    if (!found) return 'not_landed';
    taken.add(found.id);
    landed.push({ index: firstIndex + offset, id: found.id });
  }
  return landed;
}

/** An update landed if every record of the chunk now holds the cells that were sent. */
export async function checkUpdated(
  ctx: ToolContext,
  where: { baseId: string; tableId: string },
  chunk: readonly { id: string; fields: Fields }[],
  firstIndex: number,
): Promise<ChunkCheck> {
  const fields = [...new Set(chunk.flatMap((u) => Object.keys(u.fields)))];
  const found = await recordsById(
    ctx,
    where.baseId,
    where.tableId,
    chunk.map((u) => u.id),
    fields,
  );
  const landed = chunk.every((u) => {
    const record = found.get(u.id);
    return record !== undefined && matches(u.fields, record);
  });
  return landed ? chunk.map((u, offset) => ({ index: firstIndex + offset, id: u.id })) : 'not_landed';
}

/** A delete landed if none of the chunk's records is left. */
export async function checkDeleted(
  ctx: ToolContext,
  where: { baseId: string; tableId: string },
  chunk: readonly string[],
  firstIndex: number,
): Promise<ChunkCheck> {
  const found = await recordsById(ctx, where.baseId, where.tableId, chunk, []);
  if (found.size > 0) return 'not_landed';
  return chunk.map((id, offset) => ({ index: firstIndex + offset, id }));
}
