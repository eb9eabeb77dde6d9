// Airtable query strings as airtable.js and pyairtable encode them; shared by the gateway and the emulator.
/** A parsed query string value: bracket keys nest (`sort[0][field]`), `[]` and repeats make arrays. */
export type QueryValue = string | QueryValue[] | { [key: string]: QueryValue };

const KEY_PART = /\[([^\]]*)\]/g;

function splitKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return [key];
  const parts = [key.slice(0, open)];
  const rest = key.slice(open);
  let consumed = 0;
  for (const m of rest.matchAll(KEY_PART)) {
    if (m.index !== consumed) return [key];
    parts.push(m[1] ?? '');
    consumed += m[0].length;
  }
  return consumed === rest.length ? parts : [key];
}

function assign(target: Record<string, QueryValue>, path: string[], value: string): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    const existing = target[head];
    if (existing === undefined) target[head] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else if (typeof existing === 'string') target[head] = [existing, value];
    return;
  }
  if (rest[0] === '' && rest.length === 1) {
    const existing = target[head];
    if (existing === undefined) target[head] = [value];
    else if (Array.isArray(existing)) existing.push(value);
    else if (typeof existing === 'string') target[head] = [existing, value];
    return;
  }
  let child = target[head];
  if (child === undefined || typeof child === 'string' || Array.isArray(child)) {
    child = {};
    target[head] = child;
  }
  assign(child, rest, value);
}

/** Objects whose keys are all indexes (`sort[0]`, `sort[1]`) become arrays, in index order. */
function arrayify(value: QueryValue): QueryValue {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(arrayify);
  const keys = Object.keys(value);
  const entries = keys.map((k) => [k, arrayify(value[k] as QueryValue)] as const);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return entries.sort((a, b) => Number(a[0]) - Number(b[0])).map(([, v]) => v);
  }
  return Object.fromEntries(entries);
}

export function parseQuery(search: URLSearchParams): Record<string, QueryValue> {
  const root: Record<string, QueryValue> = {};
  for (const [key, value] of search) assign(root, splitKey(key), value);
  return arrayify(root) as Record<string, QueryValue>;
}
