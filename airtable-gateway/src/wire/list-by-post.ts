import { parseQuery, type QueryValue } from './query.ts';

/** Airtable refuses URLs longer than this, on every endpoint. */
export const AIRTABLE_MAX_URL_LENGTH = 16_000;

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
