import { z } from 'zod';
import { assertWritable } from '../airtable/access.ts';
import { callAirtable } from '../airtable/call-airtable.ts';
import { loadTable, resolveField } from '../airtable/schema.ts';
import { defineTool } from '../core/define-tool.ts';
import { ToolError } from '../core/tool-error.ts';
import { baseIdInput, pathSegmentInput, tableInput } from '../read/shared.ts';
import { schemaAnnotations } from './field-definition.ts';

export const updateFieldTool = defineTool({
  name: 'update_field',
  title: 'Update field',
  description: 'Rename a field and/or change its description; type and options cannot change.',
  inputSchema: z.object({
    base_id: baseIdInput,
    table: tableInput,
    field: pathSegmentInput(255),
    name: z.string().min(1).optional(),
    description: z.string().optional(),
  }),
  outputSchema: z.object({
    id: z.string(),
    name: z.string(),
    type: z.string(),
    description: z.string().optional(),
    table_id: z.string(),
  }),
  annotations: schemaAnnotations.update,
  writes: true,
  async handler(input, ctx) {
    assertWritable(ctx.policy);
    if (input.name === undefined && input.description === undefined)
      throw new ToolError('TOOL_INVALID_INPUT', 'Give a new name, a description, or both.');
    const { table } = await loadTable(ctx, input.base_id, input.table);
    const field = resolveField(table, input.field);
    const newName = input.name;
    if (
      newName &&
      table.fields.some((f) => f.id !== field.id && f.name.toLowerCase() === newName.toLowerCase())
    )
      throw new ToolError('TOOL_INVALID_INPUT', `Table "${table.name}" already has a field "${newName}".`);
    const updated = await callAirtable(
      () =>
        ctx.airtable.updateField(
          input.base_id,
          table.id,
          field.id,
          { name: input.name, description: input.description },
          { signal: ctx.signal },
        ),
      { baseId: input.base_id },
    );
    return {
      id: updated.id,
      name: updated.name,
      type: updated.type,
      description: updated.description,
      table_id: table.id,
    };
  },
});
