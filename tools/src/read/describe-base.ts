import { z } from 'zod';
import { isTableAllowed } from '../airtable/access.ts';
import { loadSchema } from '../airtable/schema.ts';
import { defineTool } from '../core/define-tool.ts';
import { DETAIL_LEVELS, describeTable, renderTable, tableOutput } from './describe-shared.ts';
import { baseIdInput, readAnnotations } from './shared.ts';

export const describeBaseTool = defineTool({
  name: 'describe_base',
  title: 'Describe base',
  description: "A base's tables, at the detail asked for.",
  inputSchema: z.object({
    base_id: baseIdInput,
    detail: z
      .enum(DETAIL_LEVELS)
      .default('summary')
      .describe('summary: ids, field counts; fields: + names, types; full: + choices, links, views'),
  }),
  outputSchema: z.object({ base_id: z.string(), tables: z.array(tableOutput) }),
  annotations: readAnnotations('Describe base'),
  writes: false,
  async handler(input, ctx) {
    const schema = await loadSchema(ctx, input.base_id);
    const tables = schema.tables
      .filter((t) => isTableAllowed(ctx.policy, input.base_id, t))
      .map((t) => describeTable(schema, t, input.detail));
    return { base_id: input.base_id, tables };
  },
  render: (out) => {
    const head = `Base ${out.base_id}: ${out.tables.length} tables`;
    // Summary stays a few tokens per table, so a 60-table base costs a few hundred tokens.
    if (out.tables.every((t) => t.fields === undefined)) {
      const list = out.tables.map((t) => `${t.name} (${(t as { field_count?: number }).field_count} fields)`);
      return `${head}: ${list.join('; ')}. Use describe_table or detail=fields for more.`;
    }
    return [head, ...out.tables.map(renderTable)].join('\n');
  },
});
