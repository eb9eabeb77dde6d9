import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so the same arguments always hash alike whatever their key order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

/**
 * What identifies a call for its idempotency key: the tool and its arguments, without the key
 * itself. A key sent again with other arguments is another call, and is refused.
 */
export function requestHash(tool: string, args: Record<string, unknown>): string {
  const { idempotency_key: _key, ...rest } = args;
  return createHash('sha256')
    .update(JSON.stringify([tool, canonical(rest)]))
    .digest('hex');
}
