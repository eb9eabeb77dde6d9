const SECRET_KEY = /token|password|secret|authorization|api[_-]?key|credential/i;
const MAX_STRING = 120;
const MAX_ITEMS = 10;
// Deep enough for `records[i].fields.<name>`, the shape of every write tool's input.
const MAX_DEPTH = 4;

/** Custom HTTP headers (a webhook's): their values are often credentials, whatever their names. */
const HEADERS_KEY = 'headers';
// As many as a webhook endpoint may have.
const MAX_HEADER_NAMES = 20;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function redactedValues(headers: Record<string, unknown>): Record<string, string> {
  const names = Object.keys(headers).slice(0, MAX_HEADER_NAMES);
  return Object.fromEntries(names.map((name) => [summariseArguments(name) as string, '[redacted]']));
}

/**
 * What the audit trail keeps of a call's arguments: enough to tell what was asked, never a
 * secret and never a whole payload. Keys that name secrets are replaced, so are the values of
 * `headers` (their names are kept), long strings and arrays are cut, deep objects are
 * flattened to a marker.
 */
export function summariseArguments(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}… (${value.length} chars)` : value;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? `[${value.length} items]` : '{…}';
  if (Array.isArray(value)) {
    const kept = value.slice(0, MAX_ITEMS).map((item) => summariseArguments(item, depth + 1));
    return value.length > MAX_ITEMS ? [...kept, `… ${value.length - MAX_ITEMS} more`] : kept;
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (SECRET_KEY.test(key)) out[key] = '[redacted]';
    else if (key === HEADERS_KEY && isPlainObject(item)) out[key] = redactedValues(item);
    else out[key] = summariseArguments(item, depth + 1);
  }
  return out;
}
