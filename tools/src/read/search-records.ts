import type { FieldSchema, ListParams } from '@airsuite/airtable-gateway';
import { z } from 'zod';
import { effectiveType, fieldRef, formulaString } from '../airtable/filter.ts';
import { loadTable, resolveField } from '../airtable/schema.ts';
import { defineTool } from '../core/define-tool.ts';
import { ToolError } from '../core/tool-error.ts';
import { fieldsInput } from './list-records.ts';
import {
  baseIdInput,
  cursorInput,
  pageOutput,
  pageSizeInput,
  readAnnotations,
  readPage,
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
    'Records where any text field (or search_fields) contains query, case-insensitive. Paged like list_records.',
  inputSchema: z.object({
    base_id: baseIdInput,
    table: tableInput,
    query: z.string().min(1),
    search_fields: z.array(z.string()).optional().describe('Default all text fields'),
    fields: fieldsInput,
    page_size: pageSizeInput(DEFAULT_SEARCH_SIZE),
    cursor: cursorInput,
  }),
  outputSchema: pageOutput,
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
    const { records, hasMore, cursor } = await readPage(
      ctx,
      { baseId: input.base_id, schema, table },
      params,
      input.cursor,
      input.page_size,
    );
    const note =
      records.length === 0
        ? `No records contain "${input.query}".`
        : `Showing ${records.length}${cursor ? `; more exist: call again with cursor="${cursor}"` : '; no more matches'}.`;
    return { table: table.name, records, returned: records.length, has_more: hasMore, cursor, note };
  },
  render: (out) => [`${out.table}: ${out.note}`, renderRecords(out.records)].filter(Boolean).join('\n'),
});
