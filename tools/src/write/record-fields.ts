import type { Fields, TableSchema } from '@airsuite/airtable-gateway';
import { resolveField } from '../airtable/schema.ts';
import { isToolError, ToolError } from '../core/tool-error.ts';

/** Field types whose cells Airtable computes: they cannot be written. */
export const COMPUTED_TYPES: ReadonlySet<string> = new Set([
  'formula',
  'rollup',
  'count',
  'multipleLookupValues',
  'lookup',
  'createdTime',
  'lastModifiedTime',
  'createdBy',
  'lastModifiedBy',
  'autoNumber',
  'button',
  'externalSyncSource',
  'aiText',
]);

const NUMBER_TYPES = new Set(['number', 'percent', 'currency', 'rating', 'duration']);
const TEXT_TYPES = new Set(['singleLineText', 'multilineText', 'richText', 'email', 'url', 'phoneNumber']);

function invalid(where: string, field: string, type: string, wants: string, got: unknown): ToolError {
  return new ToolError(
    'TOOL_INVALID_INPUT',
    `${where}: field "${field}" is a ${type} field and takes ${wants}; got ${JSON.stringify(got)}.`,
    { field, type },
  );
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/** A friendly value (select name, record id, ISO date, {name, url}) as Airtable's cell JSON. */
function toCell(where: string, name: string, type: string, value: unknown, typecast: boolean): unknown {
  if (value === null) return null;
  if (NUMBER_TYPES.has(type) && typeof value !== 'number' && !typecast)
    throw invalid(where, name, type, 'a number', value);
  if (TEXT_TYPES.has(type) && typeof value !== 'string' && !typecast)
    throw invalid(where, name, type, 'a string', value);
  if (type === 'checkbox' && typeof value !== 'boolean' && !typecast)
    throw invalid(where, name, type, 'true or false', value);
  switch (type) {
    case 'multipleSelects':
      return asList(value);
    case 'multipleRecordLinks':
      return asList(value).map((v) => {
        const id = typeof v === 'object' && v !== null && 'id' in v ? (v as { id: unknown }).id : v;
        if (typeof id !== 'string' || (!typecast && !id.startsWith('rec')))
          throw invalid(
            where,
            name,
            type,
            'record ids like "recXXXXXXXXXXXXXX" (or primary values with typecast: true)',
            v,
          );
        return id;
      });
    case 'multipleAttachments':
      return asList(value).map((v) => {
        if (typeof v === 'string') return { url: v };
        const a = v as { url?: unknown; name?: unknown; filename?: unknown };
        if (typeof a !== 'object' || a === null || typeof a.url !== 'string')
          throw invalid(where, name, type, 'a list of {name, url}', v);
        const filename = a.name ?? a.filename;
        return typeof filename === 'string' ? { url: a.url, filename } : { url: a.url };
      });
    case 'singleCollaborator':
      return typeof value === 'string' ? { email: value } : value;
    case 'multipleCollaborators':
      return asList(value).map((v) => (typeof v === 'string' ? { email: v } : v));
    default:
      return value;
  }
}

/**
 * Checks a record's cells against the table before anything is written: unknown fields list
 * the real ones (with a suggestion), computed fields are refused, values become Airtable's JSON.
 * Keys of the result are the fields' canonical names.
 */
export function toAirtableFields(
  table: TableSchema,
  fields: Fields,
  where: string,
  typecast = false,
): Fields {
  const out: Fields = {};
  for (const [key, value] of Object.entries(fields)) {
    let field: ReturnType<typeof resolveField>;
    try {
      field = resolveField(table, key);
    } catch (error) {
      if (isToolError(error)) throw new ToolError(error.code, `${where}: ${error.message}`, error.details);
      throw error;
    }
    if (COMPUTED_TYPES.has(field.type))
      throw new ToolError(
        'TOOL_INVALID_INPUT',
        `${where}: field "${field.name}" is a ${field.type} field, computed by Airtable; leave it out.`,
        { field: field.name, type: field.type },
      );
    out[field.name] = toCell(where, field.name, field.type, value, typecast);
  }
  return out;
}

/** A cell in the friendly form a model reads: attachments as {name, url}, collaborators by email. */
export function friendlyCell(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(friendlyCell);
  if (typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    if (typeof v.url === 'string' && ('filename' in v || 'size' in v || 'type' in v))
      return { name: v.filename, url: v.url };
    if (typeof v.email === 'string' && 'id' in v) return v.email;
  }
  return value;
}

/** Whether two cells hold the same value (order-sensitive, as Airtable stores them). */
export function sameCell(a: unknown, b: unknown): boolean {
  const norm = (v: unknown) =>
    v === undefined || v === '' || (Array.isArray(v) && v.length === 0) ? null : v;
  return JSON.stringify(norm(friendlyCell(a))) === JSON.stringify(norm(friendlyCell(b)));
}
