import type { BaseSchema, FieldSchema } from '@airsuite/airtable-gateway';
import { isTableAllowed } from '../airtable/access.ts';
import { primaryNames } from '../airtable/friendly-values.ts';
import type { ToolContext } from '../core/tool-context.ts';
import { present } from './aggregate-metrics.ts';

export const EMPTY_GROUP = '(empty)';

/** The groups a record's group_by cell puts it in: one per distinct value, so multi-value cells count in each. */
export function groupKeysOf(value: unknown): string[] {
  if (!present(value)) return [EMPTY_GROUP];
  if (Array.isArray(value))
    return [...new Set(value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))))];
  return [typeof value === 'object' ? JSON.stringify(value) : String(value)];
}

/**
 * The primary names of linked records the groups are keyed by, so a group reads as a name and
 * not only a record id; none for other fields, or a linked table the caller may not read.
 */
export async function linkedGroupNames(
  ctx: ToolContext,
  baseId: string,
  schema: BaseSchema,
  groupField: FieldSchema | undefined,
  keys: Iterable<string>,
): Promise<Map<string, string>> {
  const linked = (groupField?.options as { linkedTableId?: string } | undefined)?.linkedTableId;
  const linkedTable = linked ? schema.tables.find((t) => t.id === linked) : undefined;
  if (
    groupField?.type === 'multipleRecordLinks' &&
    linkedTable &&
    isTableAllowed(ctx.policy, baseId, linkedTable)
  )
    return primaryNames(
      ctx,
      baseId,
      linkedTable,
      [...keys].filter((k) => k !== EMPTY_GROUP),
    );
  return new Map();
}

/** A group's label: the linked record's name with its id when known, else the cell value. */
export function groupLabel(key: string, names: Map<string, string>): string {
  return names.has(key) ? `${names.get(key)} (${key})` : key;
}
