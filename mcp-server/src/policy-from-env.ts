import type { SafetyPolicy } from '@airsuite/tools';

export type Env = Record<string, string | undefined>;

const TRUE = new Set(['1', 'true', 'yes', 'on']);

function list(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const items = raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return items.length === 0 ? undefined : items;
}

/**
 * The deployment's safety policy: `AIRSUITE_READ_ONLY=1` hides write tools,
 * `AIRSUITE_ALLOWED_BASES` / `AIRSUITE_ALLOWED_TABLES` (comma-separated) narrow what is reachable.
 */
export function policyFromEnv(env: Env): SafetyPolicy {
  const policy: SafetyPolicy = { readOnly: TRUE.has((env.AIRSUITE_READ_ONLY ?? '').trim().toLowerCase()) };
  const allowedBases = list(env.AIRSUITE_ALLOWED_BASES);
  const allowedTables = list(env.AIRSUITE_ALLOWED_TABLES);
  return Object.freeze({
    ...policy,
    ...(allowedBases ? { allowedBases: Object.freeze(allowedBases) } : {}),
    ...(allowedTables ? { allowedTables: Object.freeze(allowedTables) } : {}),
  });
}
