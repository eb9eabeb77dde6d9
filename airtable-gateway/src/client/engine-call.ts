import type { GatewayEngine } from '../engine.ts';
import { GatewayError } from '../errors.ts';
import type { Priority } from '../request.ts';
import { formatQuery } from '../wire/query.ts';
import { errorFromAnswer } from './airtable-errors.ts';
import { encodePathSegment } from './path-segment.ts';

/** Who is calling, how urgently, and whether record reads may come from the cache. */
export interface EngineCaller {
  engine: GatewayEngine;
  token: string;
  priority: Priority;
  /** May record reads be answered from the engine's record cache? */
  cache: boolean;
  /** Throws once the client is closed. */
  assertOpen(): void;
}

export interface EngineCall {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path segments after `/v0/`, encoded here. */
  segments: string[];
  /** Query parameters in airtable.js's notation (lists → `a[]=`, objects → `a[0][b]=`); unset ones are left out. */
  query?: object;
  body?: unknown;
  /** false keeps this record read out of the record cache, whatever the client allows. */
  cache?: boolean;
  signal?: AbortSignal;
  /** A schema read that skips the schema cache (see `GatewayRequest.fresh`). */
  fresh?: boolean;
}

/**
 * The client's one transport: a plain call into the engine, for records, metadata, comments
 * and uploads alike. Priority and cache choice travel as fields of the request. Airtable's
 * JSON on success; GatewayError otherwise: AIRTABLE_ERROR (with Airtable's status and type),
 * AIRTABLE_RATE_LIMITED, AIRTABLE_BILLING_LIMIT, or the engine's own code as it threw it.
 */
export async function callEngine<T>(caller: EngineCaller, call: EngineCall): Promise<T> {
  caller.assertOpen();
  // A cancelled call is not started (a coalesced or cached read would otherwise still answer).
  if (call.signal?.aborted) throw new GatewayError('GATEWAY_ABORTED');
  const query = call.query ? formatQuery(call.query) : '';
  const answer = await caller.engine.request({
    method: call.method,
    path: `/v0/${call.segments.map((s) => encodePathSegment(s)).join('/')}`,
    search: query ? `?${query}` : '',
    token: caller.token,
    ...(call.body === undefined
      ? {}
      : { body: JSON.stringify(call.body), headers: { 'content-type': 'application/json' } }),
    priority: caller.priority,
    allowCache: caller.cache && call.cache !== false,
    signal: call.signal,
    ...(call.fresh ? { fresh: true } : {}),
  });
  if (answer.status >= 400) throw errorFromAnswer(answer.status, answer.body, caller.token);
  try {
    return JSON.parse(answer.body) as T;
  } catch (cause) {
    throw new GatewayError('AIRTABLE_ERROR', {
      message: `Airtable answered ${answer.status} with a body that is not JSON`,
      upstreamStatus: answer.status,
      cause,
    });
  }
}

/** Follows `offset` through every page of a list, collecting `key` from each. */
export async function collectPages<T>(
  fetchPage: (offset: string | undefined) => Promise<{ offset?: string | null } & Record<string, unknown>>,
  key: string,
): Promise<T[]> {
  const items: T[] = [];
  let offset: string | undefined;
  do {
    const page = await fetchPage(offset);
    items.push(...((page[key] as T[] | undefined) ?? []));
    offset = page.offset ?? undefined;
  } while (offset);
  return items;
}
