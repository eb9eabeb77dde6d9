import type { TableSchema } from '@airsuite/airtable-gateway';
import type { SafetyPolicy } from '../core/policy.ts';
import { ToolError } from '../core/tool-error.ts';

export function isBaseAllowed(policy: SafetyPolicy, baseId: string): boolean {
  return policy.allowedBases === undefined || policy.allowedBases.includes(baseId);
}

export function assertBaseAllowed(policy: SafetyPolicy, baseId: string): void {
  if (!isBaseAllowed(policy, baseId)) {
    throw new ToolError(
      'TOOL_NOT_ALLOWED',
      `Base ${baseId} is not available to this assistant. Use list_bases to see the bases you can use.`,
    );
  }
}

/** Allow-list entries are a table id or name, optionally prefixed with `baseId/`. */
export function isTableAllowed(
  policy: SafetyPolicy,
  baseId: string,
  table: Pick<TableSchema, 'id' | 'name'>,
): boolean {
  if (policy.allowedTables === undefined) return true;
  return policy.allowedTables.some((entry) => {
    const [scope, name] = entry.includes('/')
      ? (entry.split('/', 2) as [string, string])
      : [undefined, entry];
    if (scope !== undefined && scope !== baseId) return false;
    return name === table.id || name.toLowerCase() === table.name.toLowerCase();
  });
}

export function assertTableAllowed(
  policy: SafetyPolicy,
  baseId: string,
  table: Pick<TableSchema, 'id' | 'name'>,
): void {
  if (!isTableAllowed(policy, baseId, table)) {
    throw new ToolError(
      'TOOL_NOT_ALLOWED',
      `Table "${table.name}" is not available to this assistant. Use describe_base to see the tables you can use.`,
    );
  }
}

export function assertWritable(policy: SafetyPolicy): void {
  if (policy.readOnly) {
    throw new ToolError(
      'TOOL_READ_ONLY',
      'This deployment is read-only: records and tables cannot be changed.',
    );
  }
}
