import type { GatewayEngine } from '../engine.ts';
import { GatewayError } from '../errors.ts';
import type { Priority } from '../request.ts';
import { errorFromAnswer } from './airtable-errors.ts';
import { encodePathSegment } from './path-segment.ts';

/** Who is calling and how urgently: what every direct engine call needs. */
export interface EngineCaller {
  engine: GatewayEngine;
  token: string;
  priority: Priority;
  /** Throws once the client is closed. */
  assertOpen(): void;
}

export interface EngineCall {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path segments after `/v0/`, encoded here. */
  segments: string[];
  query?: Record<string, string | undefined>;
  body?: unknown;
  signal?: AbortSignal;
  /** A schema read that skips the schema cache (see `GatewayRequest.fresh`). */
  fresh?: boolean;
}

/**
 * One call straight through the engine (for the metadata and comments APIs, which airtable.js
 * lacks). Airtable's JSON on success; GatewayError otherwise: AIRTABLE_ERROR (with Airtable's
 * status and type), AIRTABLE_RATE_LIMITED, AIRTABLE_BILLING_LIMIT, or the gateway's own code.
 */
export async function callEngine<T>(caller: EngineCaller, call: EngineCall): Promise<T> {
  caller.assertOpen();
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(call.query ?? {}))
    if (value !== undefined) search.set(name, value);
  const query = search.toString();
  const answer = await caller.engine.request({
    method: call.method,
    path: `/v0/${call.segments.map((s) => encodePathSegment(s)).join('/')}`,
    search: query ? `?${query}` : '',
    token: caller.token,
    ...(call.body === undefined
      ? {}
      : { body: JSON.stringify(call.body), headers: { 'content-type': 'application/json' } }),
    priority: caller.priority,
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
