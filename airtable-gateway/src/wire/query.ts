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

/**
 * The query string (without `?`) for `params` in airtable.js's notation, byte for byte what
 * airtable.js sends: a list of scalars repeats `key[]=`, objects nest as `key[name]=`, a list
 * of objects is indexed (`sort[0][field]=`), spaces travel as `+`. Unset values (undefined,
 * null) are left out; `parseQuery` reads it back.
 */
export function formatQuery(params: object): string {
  const parts: string[] = [];
  const add = (key: string, value: unknown) => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        // `key[]` items are scalars; objects and lists inside a list carry their index.
        if (key.endsWith('[]')) add(key, item);
        else add(`${key}[${typeof item === 'object' && item !== null ? index : ''}]`, item);
      });
    } else if (typeof value === 'object') {
      for (const [name, inner] of Object.entries(value)) add(`${key}[${name}]`, inner);
    } else parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  };
  for (const [key, value] of Object.entries(params)) add(key, value);
  return parts.join('&').replace(/%20/g, '+');
}
