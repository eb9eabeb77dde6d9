import { parseQuery, type QueryValue } from './query.ts';

/** Airtable refuses URLs longer than this, on every endpoint. */
export const AIRTABLE_MAX_URL_LENGTH = 16_000;

/** Node's default limit on a request's head (`--max-http-header-size`): request line and headers together. */
export const NODE_MAX_HEADER_BYTES = 16 * 1024;

/** Room kept for the headers sent with a list (authorization, host, user agents, accept…; well under 1 KiB in practice). */
const HEADER_ROOM_BYTES = 2 * 1024;

/**
 * The longest request line (`GET /v0/…?… HTTP/1.1`, in bytes as sent) with which a records
 * list still goes by GET; a longer one goes as `POST …/listRecords`. The lower of Airtable's
 * URL limit and what Node's head limit (the emulator's, and as far as we know that of
 * Airtable's front) leaves once the headers have their room: 14,336.
 */
export const MAX_LIST_REQUEST_LINE_BYTES = Math.min(
  AIRTABLE_MAX_URL_LENGTH,
  NODE_MAX_HEADER_BYTES - HEADER_ROOM_BYTES,
);

/**
 * The bytes of the request line that sends `url` (absolute, or a path with its query) with
 * `method`: path and query percent-encoded as fetch encodes them, so a character that
 * travels as `%C3%A9` counts six.
 */
export function requestLineBytes(method: string, url: string): number {
  const { pathname, search } = new URL(url, 'http://origin.invalid');
  return Buffer.byteLength(`${method} ${pathname}${search} HTTP/1.1`);
}

/** Whether a records list sent by GET to `url` would be too long: send it as `POST …/listRecords`. */
export function listNeedsPost(url: string): boolean {
  return requestLineBytes('GET', url) > MAX_LIST_REQUEST_LINE_BYTES;
}

/** Parameters that must stay in the query string even for `POST …/listRecords` (Airtable's rule). */
const QUERY_ONLY = new Set(['timeZone', 'userLocale']);
const NUMBERS = new Set(['pageSize', 'maxRecords']);
const BOOLEANS = new Set(['returnFieldsByFieldId']);
const LISTS = new Set(['fields', 'recordMetadata']);

function bodyValue(key: string, value: QueryValue): unknown {
  if (NUMBERS.has(key) && typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  if (BOOLEANS.has(key) && typeof value === 'string') return value === 'true' || value === '1';
  if (LISTS.has(key) && typeof value === 'string') return [value];
  return value;
}

/**
 * Rewrites a records list sent by GET as the equivalent `POST …/listRecords`, which
 * carries its parameters in the body and so is not bound by the URL limit.
 */
export function listByPost(path: string, search: string): { path: string; search: string; body: string } {
  const query = parseQuery(new URLSearchParams(search));
  const body: Record<string, unknown> = {};
  const kept = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (QUERY_ONLY.has(key) && typeof value === 'string') kept.set(key, value);
    else body[key] = bodyValue(key, value);
  }
  const rest = kept.toString();
  return {
    path: `${path.replace(/\/$/, '')}/listRecords`,
    search: rest ? `?${rest}` : '',
    body: JSON.stringify(body),
  };
}
