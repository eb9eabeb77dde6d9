import type { SafetyPolicy } from '@airsuite/tools';

// Mirrors tools/src/airtable/access.ts, which @airsuite/tools does not export.

export function isBaseAllowed(policy: SafetyPolicy, baseId: string): boolean {
  return policy.allowedBases === undefined || policy.allowedBases.includes(baseId);
}

/** Allow-list entries are a table id or name, optionally prefixed with `baseId/`. */
export function isTableAllowed(
  policy: SafetyPolicy,
  baseId: string,
  table: { id: string; name: string },
): boolean {
  if (policy.allowedTables === undefined) return true;
  return policy.allowedTables.some((entry) => {
    const slash = entry.indexOf('/');
    const scope = slash >= 0 ? entry.slice(0, slash) : undefined;
    const name = slash >= 0 ? entry.slice(slash + 1) : entry;
    if (scope !== undefined && scope !== baseId) return false;
    return name === table.id || name.toLowerCase() === table.name.toLowerCase();
  });
}
