import {
  type AirtableRecord,
  type BaseSchema,
  isIteratorExpired,
  type ListParams,
  type TableSchema,
} from '@airsuite/airtable-gateway';
import { z } from 'zod';
import { callAirtable, toToolError } from '../airtable/call-airtable.ts';
import { type CursorPosition, decodeCursor, encodeCursor, queryFingerprint } from '../airtable/cursor.ts';
import { type FriendlyRecord, friendlyRecords } from '../airtable/friendly-values.ts';
import type { ToolAnnotations } from '../core/define-tool.ts';
import type { ToolContext } from '../core/tool-context.ts';

/** Every read tool: safe to call, repeat and retry. */
export function readAnnotations(title: string): ToolAnnotations {
  return { title, readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** An identifier that becomes part of an Airtable URL path: bounded, and text a URL can carry. */
export const pathSegmentInput = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((value) => !LONE_SURROGATE.test(value), 'must be valid Unicode text (no lone surrogates)');

export const baseIdInput = pathSegmentInput(255);
export const tableInput = pathSegmentInput(255).describe('Name or id');
export const recordIdInput = pathSegmentInput(64);

const conditions = z.array(z.object({ field: z.string(), op: z.string(), value: z.unknown().optional() }));

export const filterInput = conditions
  .optional()
  .describe(
    'ops: number eq neq gt gte lt lte between[lo,hi]; text equals not_equals contains not_contains starts_with ends_with; select equals not_equals is_any_of; multi/link has_any_of has_all_of has_none_of; checkbox is_true is_false; date on before after between; all is_empty is_not_empty',
  );
/** The same filter, described by reference to keep the catalogue small. */
export const sameFilterInput = conditions.optional().describe('As list_records');
export const matchInput = z.enum(['all', 'any']).optional().describe('Default all');
export const formulaInput = z.string().optional().describe('filterByFormula, ANDed');
/** A continuation token from the previous page of the same query. */
export const cursorInput = z.string().optional().describe('From previous call, same query');

export const recordOutput = z.object({ id: z.string(), fields: z.record(z.string(), z.unknown()) });

/**
 * One page of a listing. It continues from Airtable's offset when the cursor has one (one
 * upstream call); when there is none, or Airtable has forgotten it, it re-reads up to
 * `position` and takes the page from there, so a stale cursor still never loses records.
 */
export async function fetchPage(
  ctx: ToolContext,
  baseId: string,
  tableId: string,
  params: ListParams,
  from: CursorPosition,
  pageSize: number,
): Promise<{ records: AirtableRecord[]; hasMore: boolean; offset?: string }> {
  if (from.offset !== undefined || from.position === 0) {
    try {
      const page = await ctx.airtable.listPage(
        baseId,
        tableId,
        { ...params, pageSize, ...(from.offset === undefined ? {} : { offset: from.offset }) },
        { signal: ctx.signal },
      );
      return page.offset
        ? { records: page.records, hasMore: true, offset: page.offset }
        : { records: page.records, hasMore: false };
    } catch (error) {
      if (!isIteratorExpired(error)) throw toToolError(error, { baseId });
    }
  }
  return fetchByPosition(ctx, baseId, tableId, params, from.position, pageSize);
}

async function fetchByPosition(
  ctx: ToolContext,
  baseId: string,
  tableId: string,
  params: ListParams,
  position: number,
  pageSize: number,
): Promise<{ records: AirtableRecord[]; hasMore: boolean }> {
  const wanted = position + pageSize + 1;
  const all: AirtableRecord[] = [];
  await callAirtable(
    async () => {
      for await (const page of ctx.airtable.listAll(
        baseId,
        tableId,
        { ...params, pageSize: 100, maxRecords: wanted },
        { signal: ctx.signal },
      )) {
        all.push(...page);
        if (all.length >= wanted) break;
      }
    },
    { baseId },
  );
  const records = all.slice(position, position + pageSize);
  return { records, hasMore: all.length > position + pageSize };
}

function isLink(value: unknown): value is { id: string; name?: string } {
  return typeof value === 'object' && value !== null && 'id' in value && Object.keys(value).length <= 2;
}

/** One record per line, compact JSON fields; links as "Name <recId>". */
export function renderRecords(records: readonly FriendlyRecord[]): string {
  return records
    .map((r) => {
      const fields = Object.fromEntries(
        Object.entries(r.fields).map(([k, v]) => [
          k,
          Array.isArray(v) && v.every(isLink)
            ? v.map((l) => (l.name === undefined ? l.id : `${l.name} <${l.id}>`))
            : v,
        ]),
      );
      return `${r.id} ${JSON.stringify(fields)}`;
    })
    .join('\n');
}

/** Page size 1–100 with a tool's default (shown in the schema, so not described). */
export const MAX_PAGE_SIZE = 100;

export function pageSizeInput(defaultSize: number) {
  return z.number().int().min(1).max(MAX_PAGE_SIZE).default(defaultSize);
}

/** One page of records, as list_records and search_records return it. */
export const pageOutput = z.object({
  table: z.string(),
  records: z.array(recordOutput),
  returned: z.number(),
  has_more: z.boolean(),
  cursor: z.string().optional(),
  note: z.string(),
});

/**
 * A page of a listing for a tool: continues from `cursor` (which must come from the same
 * query), renders values friendly, and says where the next page starts.
 */
export async function readPage(
  ctx: ToolContext,
  target: { baseId: string; schema: BaseSchema; table: TableSchema },
  params: ListParams,
  cursor: string | undefined,
  pageSize: number,
) {
  const fingerprint = queryFingerprint({ base: target.baseId, table: target.table.id, ...params });
  const from = cursor === undefined ? { position: 0 } : decodeCursor(cursor, fingerprint);
  const page = await fetchPage(ctx, target.baseId, target.table.id, params, from, pageSize);
  const records = await friendlyRecords(ctx, target.baseId, target.schema, target.table, page.records);
  const next = page.hasMore
    ? encodeCursor(from.position + records.length, fingerprint, page.offset)
    : undefined;
  return { records, position: from.position, hasMore: page.hasMore, cursor: next };
}
