import Airtable from 'airtable';
import { GatewayError } from '../errors.ts';
import type { Priority } from '../request.ts';
import { errorFromAirtableJs, errorFromAnswer } from './airtable-errors.ts';
import type { ProxyEndpoint } from './loopback.ts';
import { encodePathSegment } from './path-segment.ts';

/** One records-API call, relative to `/v0/{baseId}`. */
export interface RecordsCall {
  baseId: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** e.g. `/Tasks` or `/Tasks/recXXXXXXXXXXXXXX` (already URL-encoded). */
  path: string;
  /** Query parameters in airtable.js's notation (arrays → `a[]=`, objects → `a[0][b]=`). */
  qs?: Record<string, unknown>;
  body?: unknown;
  /** Whether the call only reads (a GET, or a `POST …/listRecords`). Default: it is a GET. */
  read?: boolean;
  /** false forces the record cache off for this call, whatever the client allows. */
  cache?: boolean;
  signal?: AbortSignal;
}

/** Sends records calls through the official airtable.js client, pointed at the gateway proxy. */
export interface RecordsTransport {
  /** Airtable's JSON answer; throws GatewayError (AIRTABLE_* or the gateway's own code). */
  send<T>(call: RecordsCall): Promise<T>;
}

export interface RecordsTransportOptions {
  proxy: ProxyEndpoint;
  token: string;
  priority: Priority;
  cache: boolean;
}

function aborted(): GatewayError {
  return new GatewayError('GATEWAY_ABORTED');
}

/** Rejects as soon as `signal` aborts; the call itself runs on (airtable.js cannot cancel it). */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export function createRecordsTransport(options: RecordsTransportOptions): RecordsTransport {
  const { proxy, token, priority } = options;
  const clients = new Map<string, Airtable>();

  /** airtable.js cannot add headers per client, so the priority and cache flag ride in the endpoint URL. */
  const clientFor = (proxyUrl: string, cache: boolean): Airtable => {
    const endpointUrl = `${proxyUrl}/_airsuite/${priority}/${cache ? 'cache' : 'nocache'}`;
    let client = clients.get(endpointUrl);
    if (!client) {
      // The gateway owns retries: airtable.js must hand every 429 straight back.
      client = new Airtable({ endpointUrl, apiKey: token, noRetryIfRateLimited: true });
      clients.set(endpointUrl, client);
    }
    return client;
  };

  return {
    async send<T>(call: RecordsCall): Promise<T> {
      if (call.signal?.aborted) throw aborted();
      const read = call.read ?? call.method === 'GET';
      const base = clientFor(await proxy.url(), options.cache && call.cache !== false).base(
        encodePathSegment(call.baseId),
      );
      const requestId = proxy.requestId();
      const request = base.makeRequest({
        method: call.method,
        path: call.path,
        qs: call.qs ?? {},
        headers: { 'x-request-id': requestId },
        ...(call.body === undefined ? {} : { body: call.body }),
      });
      try {
        // A write is awaited to the end: its outcome matters more than a prompt return.
        const response = await (read ? raceAbort(request, call.signal) : request);
        return response.body as T;
      } catch (error) {
        if (error instanceof GatewayError) throw error;
        const seen = proxy.takeFailure(requestId);
        if (seen?.kind === 'error') throw seen.error;
        if (seen?.kind === 'answer') throw errorFromAnswer(seen.status, seen.body, token);
        throw errorFromAirtableJs(error, !read, token);
      } finally {
        proxy.takeFailure(requestId);
      }
    },
  };
}
