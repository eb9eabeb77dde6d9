import { z } from 'zod';
import { assertWritable } from '../airtable/access.ts';
import { callAirtable } from '../airtable/call-airtable.ts';
import { loadTable } from '../airtable/schema.ts';
import { defineTool } from '../core/define-tool.ts';
import { ToolError } from '../core/tool-error.ts';
import { baseIdInput, tableInput } from '../read/shared.ts';
import { checkFieldType, fieldDefinitionSchema, schemaAnnotations } from './field-definition.ts';

export const createFieldTool = defineTool({
  name: 'create_field',
  title: 'Create field',
  description: 'Add a field to a table (no computed types).',
  inputSchema: fieldDefinitionSchema.extend({
    base_id: baseIdInput,
    table: tableInput,
    // Described here, not in the shared definition: create_table's fields would repeat it.
    options: fieldDefinitionSchema.shape.options.describe(
      'e.g. selects {choices: [{name}]}, links {linkedTableId}, numbers {precision}',
    ),
  }),
  outputSchema: z.object({ id: z.string(), name: z.string(), type: z.string(), table_id: z.string() }),
  annotations: schemaAnnotations.create,
  writes: true,
  async handler(input, ctx) {
    assertWritable(ctx.policy);
    const { table } = await loadTable(ctx, input.base_id, input.table);
    checkFieldType(input.type, 'type');
    if (table.fields.some((f) => f.name.toLowerCase() === input.name.toLowerCase()))
      throw new ToolError('TOOL_INVALID_INPUT', `Table "${table.name}" already has a field "${input.name}".`);
    const field = await callAirtable(
      () =>
        ctx.airtable.createField(
          input.base_id,
          table.id,
          { name: input.name, type: input.type, description: input.description, options: input.options },
          { signal: ctx.signal },
        ),
      { baseId: input.base_id },
    );
    return { id: field.id, name: field.name, type: field.type, table_id: table.id };
  },
});
