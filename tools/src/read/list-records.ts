import type { ListParams, TableSchema } from '@airsuite/airtable-gateway';
import { z } from 'zod';
import { compileFilter } from '../airtable/filter.ts';
import { loadTable, resolveField } from '../airtable/schema.ts';
import { defineTool } from '../core/define-tool.ts';
import { ToolError } from '../core/tool-error.ts';
import {
  baseIdInput,
  cursorInput,
  filterInput,
  formulaInput,
  matchInput,
  pageOutput,
  pageSizeInput,
  readAnnotations,
  readPage,
  renderRecords,
  tableInput,
} from './shared.ts';

export const DEFAULT_PAGE_SIZE = 50;
export { MAX_PAGE_SIZE } from './shared.ts';

export const fieldsInput = z.array(z.string()).optional().describe('Default all');

/** A view by name or id; an unknown one lists the table's views. */
export function resolveView(table: TableSchema, view: string | undefined): string | undefined {
  if (view === undefined) return undefined;
  const hit = table.views.find(
    (v) => v.id === view || v.name === view || v.name.toLowerCase() === view.toLowerCase(),
  );
  if (!hit) {
    const names = table.views.map((v) => v.name);
    throw new ToolError(
      'TOOL_INVALID_INPUT',
      `Table "${table.name}" has no view "${view}". Views: ${names.join(', ')}.`,
      {
        views: names,
      },
    );
  }
  return hit.id;
}

export const listRecordsTool = defineTool({
  name: 'list_records',
  title: 'List records',
  description:
    'A page of records (filter, sort, fields, view). Links as {id, name}, attachments as {filename, url}. If has_more, call again with cursor.',
  inputSchema: z.object({
    base_id: baseIdInput,
    table: tableInput,
    fields: fieldsInput,
    filter: filterInput,
    match: matchInput,
    formula: formulaInput,
    sort: z
      .array(z.object({ field: z.string(), direction: z.enum(['asc', 'desc']).optional() }))
      .optional()
      .describe('asc unless desc'),
    view: z.string().optional().describe('Name or id'),
    page_size: pageSizeInput(DEFAULT_PAGE_SIZE),
    cursor: cursorInput,
  }),
  outputSchema: pageOutput,
  annotations: readAnnotations('List records'),
  writes: false,
  async handler(input, ctx) {
    const { schema, table } = await loadTable(ctx, input.base_id, input.table);
    const fields = input.fields?.map((f) => resolveField(table, f).name);
    const sort = input.sort?.map((s) => ({
      field: resolveField(table, s.field).name,
      direction: s.direction ?? 'asc',
    }));
    const filterByFormula = compileFilter(table, input.filter, {
      match: input.match,
      formula: input.formula,
    });
    const view = resolveView(table, input.view);
    const params: ListParams = { fields, filterByFormula, sort, view };
    const { records, position, hasMore, cursor } = await readPage(
      ctx,
      { baseId: input.base_id, schema, table },
      params,
      input.cursor,
      input.page_size,
    );
    const range = `records ${position + 1}–${position + records.length}`;
    const note =
      records.length === 0
        ? 'No records match.'
        : cursor
          ? `Showing ${records.length} (${range}); more exist: call again with cursor="${cursor}".`
          : `Showing ${records.length} (${range}); no more records.`;
    return { table: table.name, records, returned: records.length, has_more: hasMore, cursor, note };
  },
  render: (out) => [`${out.table}: ${out.note}`, renderRecords(out.records)].filter(Boolean).join('\n'),
});
