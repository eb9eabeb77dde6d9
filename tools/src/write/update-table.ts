import { z } from 'zod';
import { assertWritable } from '../airtable/access.ts';
import { callAirtable } from '../airtable/call-airtable.ts';
import { loadTable } from '../airtable/schema.ts';
import { defineTool } from '../core/define-tool.ts';
import { ToolError } from '../core/tool-error.ts';
import { baseIdInput, tableInput } from '../read/shared.ts';
import { schemaAnnotations } from './field-definition.ts';

export const updateTableTool = defineTool({
  name: 'update_table',
  title: 'Update table',
  description: 'Rename a table and/or change its description; nothing else.',
  inputSchema: z.object({
    base_id: baseIdInput,
    table: tableInput,
    name: z.string().min(1).optional(),
    description: z.string().optional(),
  }),
  outputSchema: z.object({ id: z.string(), name: z.string(), description: z.string().optional() }),
  annotations: schemaAnnotations.update,
  writes: true,
  async handler(input, ctx) {
    assertWritable(ctx.policy);
    if (input.name === undefined && input.description === undefined)
      throw new ToolError('TOOL_INVALID_INPUT', 'Give a new name, a description, or both.');
    const { schema, table } = await loadTable(ctx, input.base_id, input.table);
    const newName = input.name;
    if (
      newName &&
      schema.tables.some((t) => t.id !== table.id && t.name.toLowerCase() === newName.toLowerCase())
    )
      throw new ToolError('TOOL_INVALID_INPUT', `Base ${input.base_id} already has a table "${newName}".`);
    const updated = await callAirtable(
      () =>
        ctx.airtable.updateTable(
          input.base_id,
          table.id,
          { name: input.name, description: input.description },
          { signal: ctx.signal },
        ),
      { baseId: input.base_id },
    );
    return { id: updated.id, name: updated.name, description: updated.description };
  },
});
