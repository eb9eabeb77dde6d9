import { z } from 'zod';
import { loadTable } from '../airtable/schema.ts';
import { defineTool } from '../core/define-tool.ts';
import { describeTable, renderTable, tableOutput } from './describe-shared.ts';
import { baseIdInput, readAnnotations, tableInput } from './shared.ts';

export const describeTableTool = defineTool({
  name: 'describe_table',
  title: 'Describe table',
  description:
    "One table's fields (types, choices, links, formula types) and views. Use before filtering or writing.",
  inputSchema: z.object({ base_id: baseIdInput, table: tableInput }),
  outputSchema: z.object({ base_id: z.string(), table: tableOutput }),
  annotations: readAnnotations('Describe table'),
  writes: false,
  async handler(input, ctx) {
    const { schema, table } = await loadTable(ctx, input.base_id, input.table);
    return { base_id: input.base_id, table: describeTable(schema, table, 'full') };
  },
  render: (out) => renderTable(out.table),
});
