import { z } from 'zod';
import { compileFilter } from '../airtable/filter.ts';
import { loadTable, primaryField } from '../airtable/schema.ts';
import { defineTool } from '../core/define-tool.ts';
import { scanAll } from './scan.ts';
import {
  baseIdInput,
  formulaInput,
  matchInput,
  readAnnotations,
  sameFilterInput,
  tableInput,
} from './shared.ts';

export const countRecordsTool = defineTool({
  name: 'count_records',
  title: 'Count records',
  description: 'Exact count of records, optionally filtered (as list_records).',
  inputSchema: z.object({
    base_id: baseIdInput,
    table: tableInput,
    filter: sameFilterInput,
    match: matchInput,
    formula: formulaInput,
  }),
  outputSchema: z.object({ table: z.string(), count: z.number() }),
  annotations: readAnnotations('Count records'),
  writes: false,
  async handler(input, ctx) {
    const { table } = await loadTable(ctx, input.base_id, input.table);
    const filterByFormula = compileFilter(table, input.filter, {
      match: input.match,
      formula: input.formula,
    });
    const count = await scanAll(
      ctx,
      input.base_id,
      table.id,
      { fields: [primaryField(table).name], filterByFormula },
      () => {},
    );
    return { table: table.name, count };
  },
  render: (out) => `${out.table}: ${out.count} records`,
});
