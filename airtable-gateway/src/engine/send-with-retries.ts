import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayError } from '../errors.ts';
import type { AdmissionStore, LimitKey } from '../limits/types.ts';
import type { GatewayMetrics } from '../metrics.ts';
import type { ResolvedGatewayOptions } from '../options.ts';
import type { GatewayRequest, GatewayResponse } from '../request.ts';
import type { RouteInfo } from '../route.ts';
import type { AdmissionScheduler, AdmitRequest } from '../scheduling/admission-scheduler.ts';
import { decideRetry, type RetryDecision } from '../upstream/retry-policy.ts';
import { type AttemptOutcome, airtableErrorType, type Upstream } from '../upstream/send.ts';

/** Admits, sends and retries one request until Airtable's answer is final. */
export type SendWithRetries = (
  request: GatewayRequest,
  route: RouteInfo,
  keys: LimitKey[],
  queueKey: string,
) => Promise<GatewayResponse>;

export interface SenderParts {
  options: Readonly<ResolvedGatewayOptions>;
  metrics: GatewayMetrics;
  scheduler: AdmissionScheduler;
  upstream: Upstream;
  /** The budget store, to pause the request's budgets after an upstream 429. */
  store: AdmissionStore;
}

const FORWARDED_HEADERS = ['content-type', 'user-agent', 'x-airtable-user-agent', 'x-api-version'];

/** Where one request goes upstream, and with which headers (the same for every attempt). */
interface Target {
  url: string;
  headers: Record<string, string>;
}

function targetOf(
  options: Readonly<ResolvedGatewayOptions>,
  request: GatewayRequest,
  route: RouteInfo,
): Target {
  // Airtable serves uploads on its content origin; every budget and retry rule stays the same.
  const origin = route.kind === 'upload' ? options.contentUrl : options.upstreamUrl;
  const headers: Record<string, string> = { authorization: `Bearer ${request.token}` };
  const given = request.headers;
  if (given) {
    for (const name of FORWARDED_HEADERS) {
      const value = given[name];
      if (value !== undefined) headers[name] = value;
    }
  }
  if (request.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  return { url: `${origin}${request.path}${request.search}`, headers };
}

/** The attempts made so far for one request, as the retry policy counts them. */
interface Tries {
  attempt: number;
  rateLimited: number;
}

/** One admission and one upstream attempt; the admission is settled once the answer is back. */
async function attemptOnce(
  parts: SenderParts,
  admission: AdmitRequest,
  target: Target,
  request: GatewayRequest,
  baseLabel: string,
): Promise<AttemptOutcome> {
  const { options, metrics, scheduler, upstream } = parts;
  const waitedMs = await scheduler.admit(admission);
  metrics.queueWait.observe({ priority: admission.priority }, waitedMs / 1000);
  const started = performance.now();
  const outcome = await upstream.send(target.url, {
    method: request.method,
    headers: target.headers,
    body: request.body,
    timeoutMs: options.requestTimeoutMs,
    signal: request.signal,
  });
  // Airtable saw the request no later than now: count the admission from here.
  await scheduler.settle(admission);
  metrics.upstreamLatency.observe((performance.now() - started) / 1000);
  const status = outcome.kind === 'response' ? outcome.status : 0;
  metrics.upstreamRequests.inc({ base: baseLabel, status });
  if (status === 429 && outcome.kind === 'response') {
    metrics.rateLimited.inc({ type: airtableErrorType(outcome.body) ?? 'unknown' });
  }
  return outcome;
}

/** Acts on a decision other than `return`: throws for `fail`, otherwise waits before the next attempt. */
async function beforeNextAttempt(
  parts: SenderParts,
  decision: Exclude<RetryDecision, { action: 'return' }>,
  request: GatewayRequest,
  route: RouteInfo,
  keys: LimitKey[],
  tries: Tries,
): Promise<void> {
  const { options, metrics, store } = parts;
  const log = options.logger;
  switch (decision.action) {
    case 'fail':
      log.warn(
        { requestId: request.requestId, code: decision.error.code, base: route.baseId },
        'upstream request failed',
      );
      throw decision.error;
    case 'penalize-and-retry':
      tries.rateLimited++;
      tries.attempt--;
      log.warn(
        { requestId: request.requestId, base: route.baseId },
        'Airtable answered 429: pausing for the penalty',
      );
      metrics.retries.inc({ reason: 'rate-limited' });
      // Airtable's 429 does not say whether the base or the owner budget was passed, and
      // either way it refuses for 30 s: pause every budget the request spends.
      await Promise.all(keys.map((k) => store.block(k.key, options.penaltyMs)));
      return;
    case 'retry':
      metrics.retries.inc({ reason: decision.reason });
      log.debug(
        { requestId: request.requestId, reason: decision.reason, delayMs: decision.delayMs },
        'retrying',
      );
      await sleep(decision.delayMs, undefined, { signal: request.signal }).catch(() => {
        throw new GatewayError('GATEWAY_ABORTED');
      });
      return;
  }
}

/** The engine's one way to Airtable: every call, whoami included, is admitted, sent and retried here. */
export function createSender(parts: SenderParts): SendWithRetries {
  const { options } = parts;
  return async function send(request, route, keys, queueKey) {
    const target = targetOf(options, request, route);
    const priority = request.priority ?? 'normal';
    const baseLabel = route.baseId ?? 'none';
    const tries: Tries = { attempt: 0, rateLimited: 0 };
    for (;;) {
      const admission: AdmitRequest = { queueKey, keys, priority, signal: request.signal };
      const outcome = await attemptOnce(parts, admission, target, request, baseLabel);
      tries.attempt++;
      const decision = decideRetry(outcome, {
        read: route.read,
        attempt: tries.attempt,
        maxAttempts: options.maxAttempts,
        rateLimited: tries.rateLimited,
        maxRateLimitRetries: options.maxRateLimitRetries,
        backoffBaseMs: options.backoffBaseMs,
        backoffMaxMs: options.backoffMaxMs,
        random: options.random,
      });
      if (decision.action === 'return') {
        if (outcome.kind !== 'response') throw new GatewayError('GATEWAY_UPSTREAM_UNAVAILABLE');
        return { status: outcome.status, headers: outcome.headers, body: outcome.body, source: 'upstream' };
      }
      await beforeNextAttempt(parts, decision, request, route, keys, tries);
    }
  };
}
