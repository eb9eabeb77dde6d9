import { z } from 'zod';
import { assertWritable } from '../airtable/access.ts';
import { callAirtable } from '../airtable/call-airtable.ts';
import { loadSchema } from '../airtable/schema.ts';
import { defineTool } from '../core/define-tool.ts';
import { ToolError } from '../core/tool-error.ts';
import { baseIdInput } from '../read/shared.ts';
import { checkFieldType, fieldDefinitionSchema, schemaAnnotations } from './field-definition.ts';

export const createTableTool = defineTool({
  name: 'create_table',
  title: 'Create table',
  description: 'Create a table with its fields.',
  inputSchema: z.object({
    base_id: baseIdInput,
    name: z.string().min(1),
    description: z.string().optional(),
    fields: z
      .array(fieldDefinitionSchema)
      .min(1)
      .describe('the first (text) is the primary; no computed types (formula, rollup…)'),
  }),
  outputSchema: z.object({
    id: z.string(),
    name: z.string(),
    fields: z.array(z.looseObject({ id: z.string(), name: z.string() })),
  }),
  annotations: schemaAnnotations.create,
  writes: true,
  async handler(input, ctx) {
    assertWritable(ctx.policy);
    const schema = await loadSchema(ctx, input.base_id);
    if (schema.tables.some((t) => t.name.toLowerCase() === input.name.toLowerCase()))
      throw new ToolError(
        'TOOL_INVALID_INPUT',
        `Base ${input.base_id} already has a table "${input.name}". Pick another name.`,
      );
    const seen = new Set<string>();
    input.fields.forEach((f, i) => {
      checkFieldType(f.type, `fields[${i}]`);
      if (seen.has(f.name.toLowerCase()))
        throw new ToolError('TOOL_INVALID_INPUT', `fields[${i}]: the name "${f.name}" is used twice.`);
      seen.add(f.name.toLowerCase());
    });
    const table = await callAirtable(
      () =>
        ctx.airtable.createTable(
          input.base_id,
          { name: input.name, description: input.description, fields: input.fields },
          { signal: ctx.signal },
        ),
      { baseId: input.base_id },
    );
    return {
      id: table.id,
      name: table.name,
      fields: table.fields.map((f) => ({ id: f.id, name: f.name, type: f.type })),
    };
  },
});
