import type { EventInput } from '../outbox.ts';

type Output = Record<string, unknown>;

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

function table(output: Output) {
  const description = text(output.description);
  return { id: String(output.id), name: String(output.name), ...(description ? { description } : {}) };
}

const field = (output: Output) => ({
  id: String(output.id),
  name: String(output.name),
  type: String(output.type),
});

/**
 * The `table.*` and `field.*` event of a schema tool's successful call, from its output (what
 * Airtable answered), or none for any other tool. Written with the call's audit row.
 */
export function schemaEventOf(
  tool: string,
  input: unknown,
  output: Output,
  common: Pick<EventInput, 'workspaceId' | 'actor' | 'cause'>,
): EventInput | undefined {
  const baseId = text((input as { base_id?: unknown } | undefined)?.base_id);
  if (!baseId) return undefined;
  switch (tool) {
    case 'create_table':
      return { ...common, type: 'table.created', data: { base_id: baseId, table: table(output) } };
    case 'update_table':
      return { ...common, type: 'table.updated', data: { base_id: baseId, table: table(output) } };
    case 'create_field':
    case 'update_field': {
      const tableId = text(output.table_id);
      if (!tableId) return undefined;
      const type = tool === 'create_field' ? 'field.created' : 'field.updated';
      return { ...common, type, data: { base_id: baseId, table_id: tableId, field: field(output) } };
    }
    default:
      return undefined;
  }
}
