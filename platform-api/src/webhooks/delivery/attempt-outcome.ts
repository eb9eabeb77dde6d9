/**
 * What one delivery attempt ended in, and the rules that decide it (pure: no I/O here).
 *
 * - `success`: a 2xx answer.
 * - `disable`: the endpoint as configured can never receive, so stop sending to it until
 *   someone fixes it: 410 Gone (`WEBHOOK_GONE`, the receiver's own request), or a URL or
 *   custom headers the policy now refuses outright (`WEBHOOK_URL_INVALID`,
 *   `WEBHOOK_URL_FORBIDDEN_PORT`, `WEBHOOK_HEADERS_REFUSED`).
 * - `abort`: the answer carried `webhook-delivery: abort-message` (Svix's convention): stop
 *   retrying this one message; the endpoint stays on.
 * - `retry`: everything else, with the code saying why; `retryAfterMs` is the receiver's
 *   `Retry-After` on 429 and 503, for the retry schedule to honour.
 *
 * Precedence: 2xx wins (the message arrived), then 410, then the abort header.
 */
import type { WebhookAttemptCode } from './errors.ts';
import { parseRetryAfter } from './retry-schedule.ts';

export interface AttemptResponse {
  status: number;
  /** As Node reads them: lower-case names, `set-cookie` as a list. */
  headers: Record<string, string | string[]>;
  /** The first bytes of the body (at most the sender's `maxResponseBytes`), as UTF-8 text. */
  body: string;
  /** Whether the body had more than was kept (or did not finish arriving). */
  bodyTruncated: boolean;
}

export interface AttemptRecord {
  /** When the attempt began; also its `webhook-timestamp`. */
  startedAt: Date;
  /** From the start of the attempt (URL check included) to its end. */
  latencyMs: number;
  /** The address the request was sent to, once connected. */
  remoteAddress?: string;
  /** Whether the request went over a kept-alive connection from an earlier attempt. */
  reusedConnection?: boolean;
  /** The headers sent; custom header values are shown as `[redacted]` (they may be credentials). */
  requestHeaders: Record<string, string>;
  requestBodyBytes: number;
  response?: AttemptResponse;
}

export type DisableCode = Extract<
  WebhookAttemptCode,
  'WEBHOOK_GONE' | 'WEBHOOK_URL_INVALID' | 'WEBHOOK_URL_FORBIDDEN_PORT' | 'WEBHOOK_HEADERS_REFUSED'
>;
export type RetryCode = Exclude<WebhookAttemptCode, DisableCode | 'WEBHOOK_ABORT_REQUESTED'>;

export type AttemptVerdict =
  | { kind: 'success' }
  | { kind: 'disable'; code: DisableCode; message: string }
  | { kind: 'abort'; code: 'WEBHOOK_ABORT_REQUESTED'; message: string }
  | { kind: 'retry'; code: RetryCode; message: string; retryAfterMs?: number };

export type AttemptOutcome = AttemptRecord & AttemptVerdict;

const header = (headers: AttemptResponse['headers'], name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The verdict on a response that arrived. */
export function judgeResponse(
  response: Pick<AttemptResponse, 'status' | 'headers'>,
  context: { url: URL; now: Date; maxRetryAfterMs?: number },
): AttemptVerdict {
  const { status, headers } = response;
  if (status >= 200 && status < 300) return { kind: 'success' };
  if (status === 410) {
    return {
      kind: 'disable',
      code: 'WEBHOOK_GONE',
      message: 'the endpoint answered 410 Gone: it no longer wants deliveries; re-enable it once it does',
    };
  }
  if (header(headers, 'webhook-delivery')?.trim().toLowerCase() === 'abort-message') {
    return {
      kind: 'abort',
      code: 'WEBHOOK_ABORT_REQUESTED',
      message: `the endpoint answered ${status} with "webhook-delivery: abort-message": this message is not retried`,
    };
  }
  if (status >= 300 && status < 400) {
    const location = header(headers, 'location');
    let where = '';
    try {
      if (location) where = ` to ${new URL(location, context.url).origin}`;
    } catch {}
    return {
      kind: 'retry',
      code: 'WEBHOOK_REDIRECT_REFUSED',
      message: `the endpoint answered ${status}, a redirect${where}; webhooks never follow redirects, so set the endpoint URL to the final address`,
    };
  }
  const retryAfterMs =
    status === 429 || status === 503
      ? parseRetryAfter(header(headers, 'retry-after'), context.now, context.maxRetryAfterMs)
      : undefined;
  return {
    kind: 'retry',
    code: status === 429 ? 'WEBHOOK_THROTTLED' : 'WEBHOOK_HTTP_ERROR',
    message: `the endpoint answered ${status}${status === 429 ? ' (too many requests)' : ''}`,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };
}

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|EPROTO$)/;

/** The verdict on a request that got no response: which of our codes a socket error is. */
export function judgeFailure(
  error: { code?: unknown; message?: unknown },
  where: { hostname: string; port: number; secure: boolean },
): AttemptVerdict {
  const code = typeof error.code === 'string' ? error.code : undefined;
  const detail = `${code ?? 'error'}: ${String(error.message ?? '').slice(0, 200)}`;
  const at = `${where.hostname}:${where.port}`;
  if (code && where.secure && TLS_CODE.test(code)) {
    return {
      kind: 'retry',
      code: 'WEBHOOK_TLS_FAILED',
      message: `the TLS handshake with ${at} failed (${detail}); the endpoint needs a valid certificate for its host name`,
    };
  }
  if (code?.startsWith('HPE_')) {
    return {
      kind: 'retry',
      code: 'WEBHOOK_BAD_RESPONSE',
      message: `${at} did not answer in HTTP (${detail})`,
    };
  }
  return {
    kind: 'retry',
    code: 'WEBHOOK_CONNECTION_FAILED',
    message: `the connection to ${at} failed (${detail})`,
  };
}
