import { GatewayError } from '../errors.ts';

export type AttemptOutcome =
  | { kind: 'response'; status: number; headers: Record<string, string>; body: string }
  /**
   * The request failed without an HTTP answer. `notSent` is true only when the connection
   * was never made (refused, unresolvable), the one case where a write provably did not
   * reach Airtable.
   */
  | { kind: 'network'; notSent: boolean; timedOut: boolean; code: string };

/** Connection failures that prove the request never left (so even a write may be retried). */
export const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'EHOSTUNREACH',
]);
/** The upstream answer's headers the gateway passes on. */
export const PASSED_HEADERS = ['content-type', 'retry-after'];

/** The first `code` found on an error or its causes. */
export function errorCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return (error as Error)?.name ?? 'UNKNOWN';
}

export interface SendInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** The caller's cancellation; distinct from the per-attempt timeout. */
  signal?: AbortSignal;
}

/** Sends one attempt upstream; the engine's single way out (fetch-based when a fetch is injected). */
export interface Upstream {
  send(url: string, init: SendInit): Promise<AttemptOutcome>;
  close(): void;
}

/** An upstream over an injected `fetch` (tests, recording proxies). */
export function fetchUpstream(fetchFn: typeof fetch): Upstream {
  return { send: (url, init) => sendOnce(fetchFn, url, init), close() {} };
}

/** One upstream attempt. Never throws for network trouble (it is an outcome); throws GATEWAY_ABORTED when the caller cancels. */
export async function sendOnce(fetchFn: typeof fetch, url: string, init: SendInit): Promise<AttemptOutcome> {
  const timeout = AbortSignal.timeout(init.timeoutMs);
  const signal = init.signal ? AbortSignal.any([timeout, init.signal]) : timeout;
  try {
    const response = await fetchFn(url, {
      method: init.method,
      headers: init.headers,
      body: init.body,
      signal,
    });
    const body = await response.text();
    const headers: Record<string, string> = {};
    for (const name of PASSED_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    return { kind: 'response', status: response.status, headers, body };
  } catch (error) {
    if (init.signal?.aborted) throw new GatewayError('GATEWAY_ABORTED', { cause: error });
    const code = errorCode(error);
    const timedOut = timeout.aborted;
    return {
      kind: 'network',
      notSent: !timedOut && NOT_SENT_CODES.has(code),
      timedOut,
      code: timedOut ? 'TIMEOUT' : code,
    };
  }
}

/** Airtable's error type from a JSON error body, if any. */
export function airtableErrorType(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
    if (parsed.error && typeof parsed.error === 'object' && 'type' in parsed.error)
      return String(parsed.error.type);
  } catch {
    // Not JSON: no type to report.
  }
  return undefined;
}
