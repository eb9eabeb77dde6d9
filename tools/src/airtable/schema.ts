import type { BaseSchema, FieldSchema, TableSchema } from '@airsuite/airtable-gateway';
import type { ToolContext } from '../core/tool-context.ts';
import { ToolError } from '../core/tool-error.ts';
import { assertBaseAllowed, assertTableAllowed } from './access.ts';
import { callAirtable } from './call-airtable.ts';
import { closestMatch } from './closest-match.ts';

/**
 * The base's schema (cached by the gateway), after the deployment's allow-lists are checked.
 * `fresh` reads it from Airtable instead, and leaves it cached for the calls that follow.
 */
export async function loadSchema(
  ctx: ToolContext,
  baseId: string,
  options: { fresh?: boolean } = {},
): Promise<BaseSchema> {
  assertBaseAllowed(ctx.policy, baseId);
  return callAirtable(
    () =>
      ctx.airtable.getBaseSchema(baseId, { signal: ctx.signal, ...(options.fresh ? { fresh: true } : {}) }),
    { baseId },
  );
}

function suggestion(wanted: string, names: string[]): string {
  const near = closestMatch(wanted, names);
  return near ? ` Did you mean "${near}"?` : '';
}

/** A table by id or name (exact, then case-insensitive); unknown names list the real ones. */
export function resolveTable(
  ctx: ToolContext,
  baseId: string,
  schema: BaseSchema,
  idOrName: string,
): TableSchema {
  const table =
    schema.tables.find((t) => t.id === idOrName || t.name === idOrName) ??
    schema.tables.find((t) => t.name.toLowerCase() === idOrName.toLowerCase());
  if (!table) {
    const names = schema.tables.map((t) => t.name);
    throw new ToolError(
      'TOOL_UNKNOWN_TABLE',
      `There is no table "${idOrName}" in base ${baseId}.${suggestion(idOrName, names)} Tables: ${names.join(', ')}.`,
      { tables: names },
    );
  }
  assertTableAllowed(ctx.policy, baseId, table);
  return table;
}

/** A field by id or name (exact, then case-insensitive); unknown names list the real ones. */
export function resolveField(table: TableSchema, idOrName: string): FieldSchema {
  const field =
    table.fields.find((f) => f.id === idOrName || f.name === idOrName) ??
    table.fields.find((f) => f.name.toLowerCase() === idOrName.toLowerCase());
  if (!field) {
    const names = table.fields.map((f) => f.name);
    throw new ToolError(
      'TOOL_UNKNOWN_FIELD',
      `Table "${table.name}" has no field "${idOrName}".${suggestion(idOrName, names)} Fields: ${names.join(', ')}.`,
      { field: idOrName, fields: names },
    );
  }
  return field;
}

export function primaryField(table: TableSchema): FieldSchema {
  return table.fields.find((f) => f.id === table.primaryFieldId) ?? (table.fields[0] as FieldSchema);
}

/** Loads the schema and resolves the table in one step, the common start of a table tool. */
export async function loadTable(ctx: ToolContext, baseId: string, table: string) {
  const schema = await loadSchema(ctx, baseId);
  return { schema, table: resolveTable(ctx, baseId, schema, table) };
}
