/**
 * jsonb refuses `\u0000` and unpaired surrogate escapes, which tool arguments and Airtable
 * cells may well hold: replace them (in keys and values) so the row is written rather than
 * the call failing.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function jsonbSafe(value: unknown): unknown {
  if (typeof value === 'string')
    return value.replace(LONE_SURROGATE, '\ufffd').replaceAll('\u0000', '\ufffd');
  if (Array.isArray(value)) return value.map(jsonbSafe);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [jsonbSafe(k) as string, jsonbSafe(v)]));
  }
  return value;
}
