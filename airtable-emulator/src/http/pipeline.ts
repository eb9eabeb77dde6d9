import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseQuery } from '@airsuite/airtable-gateway/wire';
import type { EmulatorContext } from '../context.ts';
import type { V0Extra } from '../routes/v0-request.ts';
import { AirtableApiError } from './airtable-error.ts';
import type { TokenGrant, TokenRegistry } from './auth.ts';
import { parseJsonBody, readBody } from './body.ts';
import { errors } from './errors.ts';
import { decideFault, type FaultDecision, type FaultSettings } from './faults.ts';
import type { RateLimitSettings, SlidingWindowLimiter } from './rate-limiter.ts';
import { requestOrigin } from './request-origin.ts';
import { sendJson } from './respond.ts';
import { type Router, splitPath } from './router.ts';
import type { RequestStats } from './stats.ts';

export interface PipelineDeps {
  ctx: EmulatorContext;
  tokens: TokenRegistry;
  limiter: SlidingWindowLimiter;
  rateLimits: RateLimitSettings;
  faults: FaultSettings;
  stats: RequestStats;
  router: Router<V0Extra>;
  random: () => number;
  maxBodyBytes: number;
  maxUrlLength: number;
  log: (message: string) => void;
  /** Makes the request's changes durable before it is answered (a no-op for an in-memory emulator). */
  persist: () => Promise<void>;
}

/** The base a `/v0` path is about, for rate limits and fault targeting. */
export function baseIdOf(segments: string[]): string | undefined {
  if (segments[0] !== 'v0') return undefined;
  if (segments[1] === 'meta') return segments[2] === 'bases' && segments[3] ? segments[3] : undefined;
  if (segments[1] === 'bases') return segments[2];
  return segments[1]?.startsWith('app') ? segments[1] : undefined;
}

/**
 * Authenticates a request and spends its rate-limit budget. Airtable counts a request when it
 * arrives, so this runs before the injected delay: slow answers never bunch into 429s.
 */
function admitOnArrival(
  deps: PipelineDeps,
  req: IncomingMessage,
  baseId: string | undefined,
  fault: FaultDecision,
): TokenGrant {
  const grant = deps.tokens.authenticate(req.headers.authorization);
  const limits = deps.rateLimits;
  if (fault.kind === 'rate-limit') {
    deps.limiter.penalize(`owner:${grant.userId}`, limits.penaltyMs);
    if (baseId) deps.limiter.penalize(`base:${baseId}`, limits.penaltyMs);
    throw errors.rateLimited();
  }
  if (limits.enabled) {
    const keys = [{ key: `owner:${grant.userId}`, limit: limits.perOwner }];
    if (baseId) keys.push({ key: `base:${baseId}`, limit: limits.perBase });
    if (!deps.limiter.admit(keys, limits.penaltyMs)) throw errors.rateLimited();
  }
  return grant;
}

/** Runs `admit` now and keeps its outcome (a grant or the error) for after the delay. */
function settle<T>(admit: () => T): () => T {
  try {
    const value = admit();
    return () => value;
  } catch (error) {
    return () => {
      throw error;
    };
  }
}

/**
 * Serves one `/v0` request in Airtable's order: URL limit, injected faults, auth, rate
 * limits, body, route. Auth and rate limits are decided at arrival and answered after the
 * injected delay, like every other answer; an injected outage (error, drop) comes before
 * auth and is not counted. Every failure a caller can cause is answered in Airtable's shape;
 * anything else is logged and answered as Airtable's 500, never a crash.
 */
export async function serveV0(deps: PipelineDeps, req: IncomingMessage, res: ServerResponse, url: URL) {
  const segments = splitPath(url.pathname) ?? [];
  const baseId = baseIdOf(segments);
  let status = 500;
  try {
    if ((req.url ?? '').length > deps.maxUrlLength) throw errors.urlTooLong(deps.maxUrlLength);
    const fault = decideFault(deps.faults, baseId, deps.random);
    // An injected outage answers before auth, as an upstream outage would, and spends no budget.
    if (fault.kind === 'drop' || fault.kind === 'error') {
      if (fault.delayMs > 0) await sleep(fault.delayMs);
      if (fault.kind === 'drop') {
        status = 0;
        req.socket.destroy();
        return;
      }
      throw fault.status === 503
        ? errors.retriable()
        : new AirtableApiError(fault.status, 'SERVER_ERROR', 'Server error');
    }
    const admission = settle(() => admitOnArrival(deps, req, baseId, fault));
    if (fault.delayMs > 0) await sleep(fault.delayMs);
    const grant = admission();
    const route = deps.router.match(req.method ?? 'GET', segments);
    if (route === undefined || route === 'method') throw errors.notFound();
    const body = ['GET', 'DELETE', 'HEAD'].includes(req.method ?? 'GET')
      ? undefined
      : parseJsonBody(await readBody(req, Math.max(route.maxBodyBytes ?? 0, deps.maxBodyBytes)));
    const result = await route.handler({
      params: route.params,
      query: parseQuery(url.searchParams),
      body,
      extra: { ctx: deps.ctx, grant, origin: requestOrigin(req), source: 'publicApi' },
    });
    status = result.status;
    // As with Airtable, a write that was answered is kept, even if the process dies right after.
    await deps.persist();
    sendJson(res, result.status, result.body);
  } catch (error) {
    const apiError = error instanceof AirtableApiError ? error : undefined;
    if (!apiError)
      deps.log(
        `emulator: unexpected error serving ${req.method} ${url.pathname}: ${(error as Error)?.stack ?? String(error)}`,
      );
    const answer = apiError ?? errors.serverError();
    status = answer.status;
    const headers: Record<string, string> =
      answer.status === 429 ? { 'retry-after': String(Math.ceil(deps.rateLimits.penaltyMs / 1000)) } : {};
    // A 413 given up before the upload ended leaves the connection unusable: tell the client not to reuse it.
    if (answer.status === 413 && !req.complete) headers.connection = 'close';
    if (!res.headersSent) sendJson(res, answer.status, answer.toBody(), headers);
  } finally {
    if (status !== 0) deps.stats.record(status, baseId);
  }
}
