import { GatewayError } from '../errors.ts';
import { callEngine, type EngineCaller } from './engine-call.ts';
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
  caller: EngineCaller,
  baseId: string,
  table: string,
  params: ListParams & { offset?: string } = {},
  options: CallOptions = {},
): Promise<ListPage> {
  const page = await listCall(caller, baseId, table, params, {
    // A later page's cursor may have died since a cached copy was kept: read it from Airtable.
    cache: params.offset === undefined ? undefined : false,
    signal: options.signal,
  });
  return page.offset ? { records: page.records, offset: page.offset } : { records: page.records };
}

/**
 * One page request of a records list, by GET. The engine moves it to `POST …/listRecords`
 * (parameters in the body) when the GET's request line would pass MAX_LIST_REQUEST_LINE_BYTES
 * (a long filter, many fields): one rule, in one place, for the client and the proxy alike.
 */
function listCall(
  caller: EngineCaller,
  baseId: string,
  table: string,
  query: ListParams & { offset?: string },
  options: { cache?: boolean; signal?: AbortSignal },
): Promise<ListPage> {
  return callEngine<ListPage>(caller, { method: 'GET', segments: [baseId, table], query, ...options });
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
  caller: EngineCaller,
  baseId: string,
  table: string,
  params: ListParams = {},
  options: CallOptions = {},
): AsyncGenerator<AirtableRecord[], void, undefined> {
  const limit = params.maxRecords;
  const yielded = new Set<string>();
  let offset: string | undefined;
  let restarted = false;
  let restartsWithoutProgress = 0;
  for (;;) {
    if (limit !== undefined && yielded.size >= limit) return;
    let page: ListPage;
    try {
      page = await listCall(caller, baseId, table, offset === undefined ? params : { ...params, offset }, {
        cache: restarted ? false : undefined,
        signal: options.signal,
      });
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
  caller: EngineCaller,
  baseId: string,
  table: string,
  params?: ListParams,
  options?: CallOptions,
): Promise<AirtableRecord[]> {
  const records: AirtableRecord[] = [];
  for await (const page of listPages(caller, baseId, table, params, options)) records.push(...page);
  return records;
}

/** One record by id; a missing one is AIRTABLE_ERROR with upstreamStatus 404. */
export function getOneRecord(
  caller: EngineCaller,
  baseId: string,
  table: string,
  recordId: string,
  params: GetRecordParams = {},
  options: CallOptions = {},
): Promise<AirtableRecord> {
  return callEngine<AirtableRecord>(caller, {
    method: 'GET',
    segments: [baseId, table, recordId],
    query: params,
    signal: options.signal,
  });
}
