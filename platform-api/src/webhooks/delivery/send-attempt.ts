/**
 * Sends ONE webhook attempt and reports exactly what happened; the worker decides what to
 * store and when to try again (retry-schedule.ts). One call:
 *
 * 1. refuses custom headers that would replace ours (`webhook-*`, `host`, `content-length`,
 *    `content-type`, framing and hop-by-hop headers, `user-agent`);
 * 2. checks the URL with the address policy (every resolved address must be public or
 *    allow-listed) and connects ONLY to the approved addresses (pinned-request.ts);
 * 3. POSTs the JSON body with `content-type: application/json`, our `user-agent`, the custom
 *    headers and the Standard Webhooks headers signed with every active secret;
 * 4. gives the whole attempt (DNS, connect, TLS, answer, body) `timeoutMs`, never follows a
 *    redirect, reads at most `maxResponseBytes` of the answer;
 * 5. returns an `AttemptOutcome` (attempt-outcome.ts): `success`, `retry` (with a code, and
 *    `retryAfterMs` on 429/503), `disable` (410, or a URL or headers refused outright) or
 *    `abort` (`webhook-delivery: abort-message`).
 *
 * It throws only for a caller's bug (a malformed secret or message id: WebhookDeliveryError).
 * Nothing it returns holds a secret: signatures yes, secrets and custom header values never.
 *
 * A sender owns its keep-alive agents: make one per process (it is safe to share between
 * concurrent attempts) and `close()` it on shutdown.
 */
import type { AddressPolicy } from './address-policy.ts';
import type { AttemptOutcome, AttemptRecord, AttemptVerdict } from './attempt-outcome.ts';
import { judgeFailure, judgeResponse } from './attempt-outcome.ts';
import { WebhookDeliveryError } from './errors.ts';
import { createPinnedAgents, type ExchangeResult, exchange } from './pinned-request.ts';
import { DEFAULT_MAX_RETRY_AFTER_MS } from './retry-schedule.ts';
import { signWebhook } from './signing.ts';

/** Svix's cloud budget for an answer: the whole attempt, connect to last byte kept. */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 15_000;
/** Enough of an answer to show a person why it failed. */
export const DEFAULT_MAX_RESPONSE_BYTES = 4096;
export const DEFAULT_MAX_SOCKETS_PER_HOST = 16;
export const DEFAULT_MAX_TOTAL_SOCKETS = 256;
export const DEFAULT_USER_AGENT = 'AirSuite-Webhooks/1.0';

/** Names a custom header may not take: ours (`webhook-*` too), and those that frame the request. */
export const RESERVED_HEADER_NAMES: ReadonlySet<string> = new Set([
  'host',
  'content-length',
  'content-type',
  'content-encoding',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'proxy-connection',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'user-agent',
]);

/** Whether a custom header called `name` would replace one the sender sets. */
export function isReservedHeaderName(name: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED_HEADER_NAMES.has(lower) || lower.startsWith('webhook-');
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const REDACTED = '[redacted]';

export interface WebhookSenderOptions {
  /** Which URLs and addresses may be reached (createAddressPolicy). */
  policy: AddressPolicy;
  /** The whole attempt, from URL check to the last byte read; default 15 s. */
  timeoutMs?: number;
  /** Bytes of the answer kept; the rest is not read. Default 4 KiB. */
  maxResponseBytes?: number;
  /** Kept-alive sockets per host (attempts to one receiver at once); default 16. */
  maxSocketsPerHost?: number;
  /** Sockets in all; default 256. */
  maxTotalSockets?: number;
  /** Default `AirSuite-Webhooks/1.0`. */
  userAgent?: string;
  /** Upper bound of a reported `retryAfterMs`; default 10 h. */
  maxRetryAfterMs?: number;
  /** Extra certificate authorities to trust (a private CA, a spec's self-signed server). */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Wall clock for `webhook-timestamp` and `Retry-After` dates. */
  now?: () => Date;
  /** Monotonic milliseconds for `latencyMs`. */
  clock?: () => number;
}

export interface WebhookAttempt {
  url: string;
  /** The message id (`webhook-id`), the same on every attempt of a message. */
  messageId: string;
  /** The JSON text to send, exactly as stored: it is signed and sent byte for byte. */
  body: string;
  /** The endpoint's active secrets (`whsec_…`), current first; two during a rotation's overlap. */
  secrets: readonly string[];
  /** The endpoint's custom headers. */
  headers?: Readonly<Record<string, string>>;
  /** Cancels the attempt (worker shutdown): outcome `retry` / `WEBHOOK_CANCELLED`. */
  signal?: AbortSignal;
}

export interface WebhookSender {
  send(attempt: WebhookAttempt): Promise<AttemptOutcome>;
  /** Closes the kept-alive sockets; sends after this still work, on new sockets. */
  close(): void;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new WebhookDeliveryError(
      'WEBHOOK_CONFIG_INVALID',
      `webhook sender: ${name} must be a positive number`,
    );
  }
  return value;
}

function refusedHeaders(headers: Readonly<Record<string, string>>): string | undefined {
  for (const [name, value] of Object.entries(headers)) {
    if (!TOKEN.test(name)) return `"${name}" is not a valid header name`;
    if (isReservedHeaderName(name)) return `"${name}" is set by AirSuite and cannot be replaced`;
    if (typeof value !== 'string' || /[\r\n\0]/.test(value))
      return `the value of "${name}" must be one line of text`;
  }
  return undefined;
}

export function createWebhookSender(options: WebhookSenderOptions): WebhookSender {
  const timeoutMs = positive('timeoutMs', options.timeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS);
  const maxResponseBytes = positive(
    'maxResponseBytes',
    options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
  );
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const now = options.now ?? (() => new Date());
  const clock = options.clock ?? (() => performance.now());
  const { policy } = options;
  const agents = createPinnedAgents({
    maxSocketsPerHost: positive(
      'maxSocketsPerHost',
      options.maxSocketsPerHost ?? DEFAULT_MAX_SOCKETS_PER_HOST,
    ),
    maxTotalSockets: positive('maxTotalSockets', options.maxTotalSockets ?? DEFAULT_MAX_TOTAL_SOCKETS),
    ...(options.ca ? { ca: options.ca } : {}),
  });

  async function send(attempt: WebhookAttempt): Promise<AttemptOutcome> {
    const startedAt = now();
    const started = clock();
    const body = Buffer.from(attempt.body, 'utf8');
    const custom = attempt.headers ?? {};
    const { headers, shown } = signedHeaders(attempt, { startedAt, body, userAgent });
    const done = (verdict: AttemptVerdict, extra: Partial<AttemptRecord> = {}): AttemptOutcome => ({
      startedAt,
      latencyMs: Math.max(0, Math.round(clock() - started)),
      requestHeaders: shown,
      requestBodyBytes: body.length,
      ...extra,
      ...verdict,
    });

    const refused = refusedHeaders(custom);
    if (refused) {
      return done({
        kind: 'disable',
        code: 'WEBHOOK_HEADERS_REFUSED',
        message: `custom headers: ${refused}`,
      });
    }
    const deadline = attemptDeadline(timeoutMs, attempt.signal);
    const { signal } = deadline;
    try {
      const checked = await untilAborted(policy.check(attempt.url), signal);
      if (!checked) return done(deadline.why()!);
      if (!checked.ok) {
        const { code, message } = checked.refusal;
        return code === 'WEBHOOK_URL_INVALID' || code === 'WEBHOOK_URL_FORBIDDEN_PORT'
          ? done({ kind: 'disable', code, message })
          : done({ kind: 'retry', code, message });
      }
      const { target } = checked;
      const go = () => exchange({ target, headers, body, agents, signal, maxResponseBytes });
      let result: ExchangeResult = await go();
      // A kept-alive socket the receiver closed while idle fails at once; one fresh try is not a retry.
      if (
        result.kind === 'failure' &&
        result.reusedConnection &&
        !signal.aborted &&
        isStaleSocket(result.error)
      ) {
        result = await go();
      }
      const seen = { remoteAddress: result.remoteAddress, reusedConnection: result.reusedConnection };
      if (result.kind === 'failure') return done(deadline.why() ?? judgeFailure(result.error, target), seen);
      return done(judgeResponse(result.response, { url: target.url, now: now(), maxRetryAfterMs }), {
        ...seen,
        response: result.response,
      });
    } finally {
      deadline.dispose();
    }
  }

  return { send, close: () => agents.destroy() };
}

/**
 * The request's headers, signed, and the same as the log may show them (custom header values
 * hidden). Signing comes first: a malformed secret or id is the caller's bug and throws before any I/O.
 */
function signedHeaders(
  attempt: WebhookAttempt,
  sent: { startedAt: Date; body: Buffer; userAgent: string },
): { headers: Record<string, string>; shown: Record<string, string> } {
  const custom = attempt.headers ?? {};
  const signature = signWebhook({
    id: attempt.messageId,
    timestamp: sent.startedAt,
    body: sent.body,
    secrets: attempt.secrets,
  });
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': sent.userAgent,
    'content-length': String(sent.body.length),
    ...custom,
    ...signature,
  };
  const shown = { ...headers };
  for (const name of Object.keys(custom)) if (name in shown) shown[name] = REDACTED;
  return { headers, shown };
}

/**
 * One controller per attempt, aborted by its timer or by the caller's signal; `why()` says
 * which. (Not AbortSignal.any: a long-lived shutdown signal would collect one dependant per attempt.)
 */
function attemptDeadline(timeoutMs: number, callerSignal: AbortSignal | undefined) {
  const controller = new AbortController();
  let why: AttemptVerdict | undefined;
  const stop = (verdict: AttemptVerdict) => {
    why ??= verdict;
    controller.abort();
  };
  const timer = setTimeout(
    () =>
      stop({
        kind: 'retry',
        code: 'WEBHOOK_TIMEOUT',
        message: `the endpoint did not answer within ${timeoutMs} ms`,
      }),
    timeoutMs,
  );
  const onCancel = () =>
    stop({
      kind: 'retry',
      code: 'WEBHOOK_CANCELLED',
      message: 'the attempt was cancelled before it finished',
    });
  if (callerSignal?.aborted) onCancel();
  else callerSignal?.addEventListener('abort', onCancel, { once: true });
  return {
    signal: controller.signal,
    why: () => why,
    dispose() {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCancel);
    },
  };
}

function isStaleSocket(error: NodeJS.ErrnoException): boolean {
  return error.code === 'ECONNRESET' || error.code === 'EPIPE';
}

/** `promise`'s value, or undefined once `signal` aborts first (a DNS lookup cannot be cancelled). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
