import { z } from 'zod';
import { closestMatch } from '../airtable/closest-match.ts';
import { ToolError } from '../core/tool-error.ts';
import { COMPUTED_TYPES } from './record-fields.ts';

/** Field types Airtable's API can create (its field model, minus computed types). */
export const CREATABLE_TYPES = [
  'singleLineText',
  'multilineText',
  'richText',
  'email',
  'url',
  'phoneNumber',
  'number',
  'percent',
  'currency',
  'rating',
  'duration',
  'checkbox',
  'singleSelect',
  'multipleSelects',
  'singleCollaborator',
  'multipleCollaborators',
  'date',
  'dateTime',
  'multipleRecordLinks',
  'multipleAttachments',
  'barcode',
] as const;

export const fieldDefinitionSchema = z.object({
  name: z.string().min(1),
  type: z.string().describe('e.g. singleLineText, number, singleSelect, date'),
  description: z.string().optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});

/** Refuses computed and unknown types with a message that names the creatable ones. */
export function checkFieldType(type: string, where: string): void {
  if ((CREATABLE_TYPES as readonly string[]).includes(type)) return;
  if (COMPUTED_TYPES.has(type))
    throw new ToolError(
      'TOOL_INVALID_INPUT',
      `${where}: ${type} fields are computed and cannot be created through the API. Use one of: ${CREATABLE_TYPES.join(', ')}.`,
      { type },
    );
  const near = closestMatch(type, CREATABLE_TYPES);
  throw new ToolError(
    'TOOL_INVALID_INPUT',
    `${where}: unknown field type "${type}".${near ? ` Did you mean "${near}"?` : ''} Types: ${CREATABLE_TYPES.join(', ')}.`,
    { type, types: [...CREATABLE_TYPES] },
  );
}

export const schemaAnnotations = {
  create: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  update: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
} as const;
