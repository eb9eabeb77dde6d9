import { errors } from '../http/errors.ts';

export interface SortSpec {
  field: string;
  direction: 'asc' | 'desc';
}

export interface ListParams {
  pageSize: number;
  maxRecords?: number;
  offset?: string;
  view?: string;
  fields?: string[];
  sort: SortSpec[];
  filterByFormula?: string;
  cellFormat: 'json' | 'string';
  timeZone?: string;
  userLocale?: string;
  returnFieldsByFieldId: boolean;
  recordMetadata: string[];
}

export const MAX_PAGE_SIZE = 100;

const KNOWN = new Set([
  'pageSize',
  'maxRecords',
  'offset',
  'view',
  'fields',
  'sort',
  'filterByFormula',
  'cellFormat',
  'timeZone',
  'userLocale',
  'returnFieldsByFieldId',
  'recordMetadata',
  // airtable.js copies its own `method: 'post'` option into the listRecords body.
  'method',
]);

/** `true`, `'true'` and `'1'` (pyairtable's form) are true; `false`, `'false'`, `'0'` false. */
export function parseBool(value: unknown, name: string): boolean {
  if (value === undefined) return false;
  if (value === true || value === 'true' || value === '1' || value === 1) return true;
  if (value === false || value === 'false' || value === '0' || value === 0) return false;
  throw errors.invalidRequest(`Invalid value for ${name}: expected a boolean`);
}

function parseInteger(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}

function stringList(value: unknown, name: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((v) => typeof v === 'string')) throw errors.invalidRequest(`Invalid value for ${name}`);
  return list as string[];
}

function parseSort(value: unknown): SortSpec[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw errors.invalidSort('sort must be an array of {field, direction} objects');
  return value.map((item) => {
    if (typeof item !== 'object' || item === null) {
      throw errors.invalidSort('sort must be an array of {field, direction} objects');
    }
    const { field, direction = 'asc' } = item as Record<string, unknown>;
    if (typeof field !== 'string' || field === '') throw errors.invalidSort('Each sort needs a "field"');
    if (direction !== 'asc' && direction !== 'desc') {
      throw errors.invalidSort(`Invalid sort direction ${JSON.stringify(direction)}: use "asc" or "desc"`);
    }
    return { field, direction };
  });
}

/**
 * Validates list parameters from a GET query (strings) or a POST listRecords body (JSON
 * types); `strict` (the POST body) rejects unknown keys as Airtable does.
 * `timeZone`/`userLocale` always come from the query string.
 */
export function parseListParams(
  input: Record<string, unknown>,
  query: Record<string, unknown>,
  strict: boolean,
): ListParams {
  if (strict) {
    for (const key of Object.keys(input)) {
      if (!KNOWN.has(key))
        throw errors.invalidRequest(`Invalid request: parameter "${key}" is not supported`);
    }
  }
  const pageSize = input.pageSize === undefined ? MAX_PAGE_SIZE : parseInteger(input.pageSize);
  if (pageSize === undefined || pageSize < 1 || pageSize > MAX_PAGE_SIZE)
    throw errors.invalidPageSize(input.pageSize);
  let maxRecords: number | undefined;
  if (input.maxRecords !== undefined) {
    maxRecords = parseInteger(input.maxRecords);
    if (maxRecords === undefined || maxRecords < 0) throw errors.invalidMaxRecords(input.maxRecords);
  }
  const cellFormat = input.cellFormat ?? 'json';
  if (cellFormat !== 'json' && cellFormat !== 'string') {
    throw errors.invalidRequest(`Invalid cellFormat ${JSON.stringify(cellFormat)}: use "json" or "string"`);
  }
  const timeZone = typeof query.timeZone === 'string' ? query.timeZone : undefined;
  const userLocale = typeof query.userLocale === 'string' ? query.userLocale : undefined;
  if (cellFormat === 'string' && (timeZone === undefined || userLocale === undefined)) {
    throw errors.invalidRequest(
      'The "timeZone" and "userLocale" parameters are required when cellFormat is "string"',
    );
  }
  for (const name of ['offset', 'view', 'filterByFormula'] as const) {
    if (input[name] !== undefined && typeof input[name] !== 'string') {
      throw errors.invalidRequest(`Invalid value for ${name}: expected a string`);
    }
  }
  return {
    pageSize,
    maxRecords,
    offset: input.offset as string | undefined,
    view: input.view as string | undefined,
    fields: input.fields === undefined ? undefined : stringList(input.fields, 'fields'),
    sort: parseSort(input.sort),
    filterByFormula: input.filterByFormula as string | undefined,
    cellFormat,
    timeZone,
    userLocale,
    returnFieldsByFieldId: parseBool(input.returnFieldsByFieldId, 'returnFieldsByFieldId'),
    recordMetadata:
      input.recordMetadata === undefined ? [] : stringList(input.recordMetadata, 'recordMetadata'),
  };
}
