import type { FieldSchema, ListParams } from '@airsuite/airtable-gateway';
import { z } from 'zod';
import { decodeCursor, encodeCursor, queryFingerprint } from '../airtable/cursor.ts';
import { effectiveType, fieldRef, formulaString } from '../airtable/filter.ts';
import { friendlyRecords } from '../airtable/friendly-values.ts';
import { loadTable, resolveField } from '../airtable/schema.ts';
import { defineTool } from '../core/define-tool.ts';
import { ToolError } from '../core/tool-error.ts';
import { MAX_PAGE_SIZE } from './list-records.ts';
import {
  baseIdInput,
  fetchPage,
  readAnnotations,
  recordOutput,
  renderRecords,
  tableInput,
} from './shared.ts';

export const DEFAULT_SEARCH_SIZE = 20;

const TEXT_TYPES = new Set([
  'singleLineText',
  'multilineText',
  'richText',
  'email',
  'url',
  'phoneNumber',
  'singleSelect',
  'multipleSelects',
]);

/** The text of a field in a formula: lists joined, everything else as a string. */
function textOf(field: FieldSchema): string {
  const ref = fieldRef(field.name);
  const isList = ['multipleSelects', 'multipleRecordLinks', 'multipleLookupValues'].includes(field.type);
  return isList ? `ARRAYJOIN(${ref}, ' ')` : `(${ref}&'')`;
}

export const searchRecordsTool = defineTool({
  name: 'search_records',
  title: 'Search records',
  description:
    'Case-insensitive text search in a table: records where any text field (or the fields named) contains the query. Paged like list_records (cursor to continue).',
  inputSchema: z.object({
    base_id: baseIdInput,
    table: tableInput,
    query: z.string().min(1).describe('Text to find (case-insensitive substring)'),
    search_fields: z.array(z.string()).optional().describe('Fields to search (default all text fields)'),
    fields: z.array(z.string()).optional().describe('Fields to return (default all)'),
    page_size: z
      .number()
      .int()
      .min(1)
      .max(MAX_PAGE_SIZE)
      .default(DEFAULT_SEARCH_SIZE)
      .describe('1–100, default 20'),
    cursor: z.string().optional().describe('From a previous call with the same query'),
  }),
  outputSchema: z.object({
    table: z.string(),
    records: z.array(recordOutput),
    returned: z.number(),
    has_more: z.boolean(),
    cursor: z.string().optional(),
    note: z.string(),
  }),
  annotations: readAnnotations('Search records'),
  writes: false,
  async handler(input, ctx) {
    const { schema, table } = await loadTable(ctx, input.base_id, input.table);
    const searched = input.search_fields
      ? input.search_fields.map((f) => resolveField(table, f))
      : table.fields.filter((f) => TEXT_TYPES.has(effectiveType(f)));
    if (searched.length === 0)
      throw new ToolError(
        'TOOL_INVALID_INPUT',
        `Table "${table.name}" has no text fields; name search_fields.`,
        {
          fields: table.fields.map((f) => f.name),
        },
      );
    const needle = formulaString(input.query.toLowerCase());
    const tests = searched.map((f) => `FIND(${needle}, LOWER(${textOf(f)}))>0`);
    const filterByFormula = tests.length === 1 ? tests[0] : `OR(${tests.join(', ')})`;
    const fields = input.fields?.map((f) => resolveField(table, f).name);
    const params: ListParams = { fields, filterByFormula };
    const fingerprint = queryFingerprint({ base: input.base_id, table: table.id, ...params });
    const from = input.cursor === undefined ? { position: 0 } : decodeCursor(input.cursor, fingerprint);
    const position = from.position;
    const page = await fetchPage(ctx, input.base_id, table.id, params, from, input.page_size);
    const records = await friendlyRecords(ctx, input.base_id, schema, table, page.records);
    const cursor = page.hasMore
      ? encodeCursor(position + records.length, fingerprint, page.offset)
      : undefined;
    const note =
      records.length === 0
        ? `No records contain "${input.query}".`
        : `Showing ${records.length}${cursor ? `; more exist: call again with cursor="${cursor}"` : '; no more matches'}.`;
    return { table: table.name, records, returned: records.length, has_more: page.hasMore, cursor, note };
  },
  render: (out) => [`${out.table}: ${out.note}`, renderRecords(out.records)].filter(Boolean).join('\n'),
});
