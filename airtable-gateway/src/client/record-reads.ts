import toQueryString from 'airtable/lib/object_to_query_param_string.js';
import { GatewayError } from '../errors.ts';
import { listNeedsPost } from '../wire/list-by-post.ts';
import { encodePathSegment } from './path-segment.ts';
import type { RecordsCall, RecordsTransport } from './records-transport.ts';
import type { AirtableRecord, CallOptions, GetRecordParams, ListParams } from './types.ts';

/** Restarts in a row, without a new record in between, before an expiring iterator is given up on. */
const MAX_RESTARTS_WITHOUT_PROGRESS = 3;

export interface ListPage {
  records: AirtableRecord[];
  /** Airtable's cursor for the next page; absent on the last page. */
  offset?: string;
}

/**
 * One page of a records list, from the start or from an `offset` a previous page returned.
 * An expired offset throws AIRTABLE_ERROR (422 LIST_RECORDS_ITERATOR_NOT_AVAILABLE); see
 * `isIteratorExpired`.
 */
export async function getPage(
  transport: RecordsTransport,
  baseId: string,
  table: string,
  params: ListParams & { offset?: string } = {},
  options: CallOptions = {},
): Promise<ListPage> {
  const page = await transport.send<ListPage>(
    listCall(baseId, table, queryOf(params), {
      cache: params.offset === undefined ? undefined : false,
      signal: options.signal,
    }),
  );
  return page.offset ? { records: page.records, offset: page.offset } : { records: page.records };
}

/** Query parameters in airtable.js notation, without the unset ones (airtable.js would send `key=`). */
export function queryOf(params: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined));
}

/** Parameters Airtable takes only in the query string, even for `POST …/listRecords`. */
const QUERY_ONLY = ['timeZone', 'userLocale'] as const;

/**
 * One page request of a records list: a GET, or `POST …/listRecords` with the parameters in
 * the body once the GET's request line would pass MAX_LIST_REQUEST_LINE_BYTES (a long
 * filter, many fields). Decided before airtable.js sends anything, measured on the query
 * string airtable.js builds: a list too long for Airtable is too long for the proxy too.
 */
function listCall(
  baseId: string,
  table: string,
  query: Record<string, unknown>,
  options: Pick<RecordsCall, 'cache' | 'signal'>,
): RecordsCall {
  const path = tablePath(table);
  const url = `/v0/${encodePathSegment(baseId)}${path}?${toQueryString(query)}`;
  if (!listNeedsPost(url)) return { baseId, method: 'GET', path, qs: query, ...options };
  const body = { ...query };
  const qs: Record<string, unknown> = {};
  for (const key of QUERY_ONLY) {
    if (body[key] === undefined) continue;
    qs[key] = body[key];
    delete body[key];
  }
  return { baseId, method: 'POST', path: `${path}/listRecords`, qs, body, read: true, ...options };
}

export function tablePath(table: string, ...rest: string[]): string {
  return ['', table, ...rest].map((part) => encodePathSegment(part)).join('/');
}

/** Airtable forgot the list cursor (idle too long, or a restart on its side). */
export function isIteratorExpired(error: unknown): boolean {
  return (
    error instanceof GatewayError &&
    error.upstreamStatus === 422 &&
    error.airtableType === 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE'
  );
}

/**
 * Every page of a records list, following offsets and stopping at `maxRecords`. When Airtable
 * forgets the cursor mid-listing (422 LIST_RECORDS_ITERATOR_NOT_AVAILABLE) the listing starts
 * again from the first page, bypassing the record cache (a cached page would carry the dead
 * cursor), and skips the records already yielded: none twice, none lost. Pages are never
 * empty, so an empty table yields no page at all.
 */
export async function* listPages(
  transport: RecordsTransport,
  baseId: string,
  table: string,
  params: ListParams = {},
  options: CallOptions = {},
): AsyncGenerator<AirtableRecord[], void, undefined> {
  const query = queryOf(params);
  const limit = params.maxRecords;
  const yielded = new Set<string>();
  let offset: string | undefined;
  let restarted = false;
  let restartsWithoutProgress = 0;
  for (;;) {
    if (limit !== undefined && yielded.size >= limit) return;
    let page: ListPage;
    try {
      page = await transport.send<ListPage>(
        listCall(baseId, table, offset === undefined ? query : { ...query, offset }, {
          cache: restarted ? false : undefined,
          signal: options.signal,
        }),
      );
    } catch (error) {
      if (offset === undefined || !isIteratorExpired(error)) throw error;
      if (restartsWithoutProgress >= MAX_RESTARTS_WITHOUT_PROGRESS) throw error;
      restartsWithoutProgress++;
      restarted = true;
      offset = undefined;
      continue;
    }
    const fresh = page.records.filter((record) => !yielded.has(record.id));
    const room = limit === undefined ? fresh.length : limit - yielded.size;
    const out = fresh.slice(0, room);
    if (out.length > 0) {
      for (const record of out) yielded.add(record.id);
      restartsWithoutProgress = 0;
      yield out;
    }
    if (!page.offset) return;
    offset = page.offset;
  }
}

/** Every record of a list, all pages collected. */
export async function listAllRecords(
  transport: RecordsTransport,
  baseId: string,
  table: string,
  params?: ListParams,
  options?: CallOptions,
): Promise<AirtableRecord[]> {
  const records: AirtableRecord[] = [];
  for await (const page of listPages(transport, baseId, table, params, options)) records.push(...page);
  return records;
}

/** One record by id; a missing one is AIRTABLE_ERROR with upstreamStatus 404. */
export function getOneRecord(
  transport: RecordsTransport,
  baseId: string,
  table: string,
  recordId: string,
  params: GetRecordParams = {},
  options: CallOptions = {},
): Promise<AirtableRecord> {
  return transport.send<AirtableRecord>({
    baseId,
    method: 'GET',
    path: tablePath(table, recordId),
    qs: queryOf(params),
    signal: options.signal,
  });
}
