import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Coalescer } from './cache/coalescer.ts';
import { createLocalBus, type InvalidationBus } from './cache/invalidation-bus.ts';
import { TtlCache } from './cache/ttl-cache.ts';
import { GatewayError } from './errors.ts';
import type { LimitKey } from './limits/types.ts';
import { createGatewayMetrics, type GatewayMetrics } from './metrics.ts';
import type { GatewayOptions, ResolvedGatewayOptions } from './options.ts';
import { OwnerResolver, tokenHash } from './owner-resolver.ts';
import type { GatewayRequest, GatewayResponse } from './request.ts';
import { resolveGatewayOptions } from './resolve-options.ts';
import { type RouteInfo, routeOf } from './route.ts';
import { AdmissionScheduler, type AdmitRequest } from './scheduling/admission-scheduler.ts';
import { type AdmissionBackend, createAdmissionBackend } from './shared-state.ts';
import { httpUpstream } from './upstream/http-upstream.ts';
import { decideRetry } from './upstream/retry-policy.ts';
import { airtableErrorType, fetchUpstream } from './upstream/send.ts';
import { listByPost, listNeedsPost } from './wire/list-by-post.ts';

export interface GatewayEngine {
  /** Sends one Airtable API call with the gateway's guarantees; Airtable's answer comes back unchanged. */
  request(request: GatewayRequest): Promise<GatewayResponse>;
  readonly metrics: GatewayMetrics;
  readonly options: Readonly<ResolvedGatewayOptions>;
  /** 'local' (in-process budgets), 'shared' (Redis) or 'fallback' (Redis unreachable). */
  limiterMode(): 'local' | 'shared' | 'fallback';
  close(): Promise<void>;
}

const FORWARDED_HEADERS = ['content-type', 'user-agent', 'x-airtable-user-agent', 'x-api-version'];
const MAX_CACHE_ENTRIES = 5_000;
/**
 * At most one forced schema read (`fresh`) per base and token in this long: a stream of calls
 * naming a table that does not exist costs one schema read a second, not one a call.
 */
export const SCHEMA_REFRESH_INTERVAL_MS = 1_000;

/** Builds a gateway: budgets, queue, retries, coalescing and caches around one upstream. */
export async function createGatewayEngine(input: GatewayOptions = {}): Promise<GatewayEngine> {
  const options = resolveGatewayOptions(input);
  const log = options.logger;
  const metrics = createGatewayMetrics();
  const backend: AdmissionBackend = await createAdmissionBackend(options, metrics);
  const bus: InvalidationBus = backend.bus ?? createLocalBus();
  const scheduler = new AdmissionScheduler({
    store: backend.store,
    maxQueueLength: options.maxQueueLength,
    maxQueueWaitMs: options.maxQueueWaitMs,
    ratePerSecond: (queue) =>
      ((queue.startsWith('base:') ? options.perBaseLimit : options.perOwnerLimit) * 1000) / backend.windowMs,
    windowMs: backend.windowMs,
    onQueueLength: (queue, length) => metrics.queueLength.set({ queue }, length),
  });
  // An injected fetch (tests, recording proxies) is used as given; otherwise node:http(s).
  const upstream = input.fetch ? fetchUpstream(options.fetch) : httpUpstream();
  const recordCache = new TtlCache<GatewayResponse>(MAX_CACHE_ENTRIES);
  const schemaCache = new TtlCache<GatewayResponse>(MAX_CACHE_ENTRIES);
  const coalescer = new Coalescer<GatewayResponse>();
  /** Schemas read fresh (by identity) within the last SCHEMA_REFRESH_INTERVAL_MS. */
  const recentRefreshes = new TtlCache<true>(MAX_CACHE_ENTRIES);
  /** Bumped on every invalidation of a base, so reads that straddle a write are not cached. */
  const generations = new Map<string, number>();
  bus.subscribe(({ baseId, scope }) => {
    generations.set(baseId, (generations.get(baseId) ?? 0) + 1);
    recordCache.invalidateGroup(baseId);
    if (scope === 'schema') schemaCache.invalidateGroup(baseId);
  });

  /** Admits, sends and retries until Airtable's answer is final. */
  async function send(request: GatewayRequest, route: RouteInfo, keys: LimitKey[], queueKey: string) {
    // Airtable serves uploads on its content origin; every budget and retry rule stays the same.
    const origin = route.kind === 'upload' ? options.contentUrl : options.upstreamUrl;
    const url = `${origin}${request.path}${request.search}`;
    const headers: Record<string, string> = { authorization: `Bearer ${request.token}` };
    for (const name of FORWARDED_HEADERS) {
      const value = request.headers?.[name];
      if (value !== undefined) headers[name] = value;
    }
    if (request.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const priority = request.priority ?? 'normal';
    const baseLabel = route.baseId ?? 'none';
    let attempt = 0;
    let rateLimited = 0;
    for (;;) {
      const admission: AdmitRequest = { queueKey, keys, priority, signal: request.signal };
      const waitedMs = await scheduler.admit(admission);
      metrics.queueWait.observe({ priority }, waitedMs / 1000);
      attempt++;
      const started = performance.now();
      const outcome = await upstream.send(url, {
        method: request.method,
        headers,
        body: request.body,
        timeoutMs: options.requestTimeoutMs,
        signal: request.signal,
      });
      // Airtable saw the request no later than now: count the admission from here.
      await scheduler.settle(admission);
      metrics.upstreamLatency.observe((performance.now() - started) / 1000);
      metrics.upstreamRequests.inc({
        base: baseLabel,
        status: outcome.kind === 'response' ? outcome.status : 0,
      });
      const decision = decideRetry(outcome, {
        read: route.read,
        attempt,
        maxAttempts: options.maxAttempts,
        rateLimited,
        maxRateLimitRetries: options.maxRateLimitRetries,
        backoffBaseMs: options.backoffBaseMs,
        backoffMaxMs: options.backoffMaxMs,
        random: options.random,
      });
      if (outcome.kind === 'response' && outcome.status === 429) {
        metrics.rateLimited.inc({ type: airtableErrorType(outcome.body) ?? 'unknown' });
      }
      switch (decision.action) {
        case 'return':
          if (outcome.kind !== 'response') throw new GatewayError('GATEWAY_UPSTREAM_UNAVAILABLE');
          return {
            status: outcome.status,
            headers: outcome.headers,
            body: outcome.body,
            source: 'upstream' as const,
          };
        case 'fail':
          log.warn(
            { requestId: request.requestId, code: decision.error.code, base: route.baseId },
            'upstream request failed',
          );
          throw decision.error;
        case 'penalize-and-retry': {
          rateLimited++;
          attempt--;
          log.warn(
            { requestId: request.requestId, base: route.baseId },
            'Airtable answered 429: pausing for the penalty',
          );
          metrics.retries.inc({ reason: 'rate-limited' });
          // Airtable's 429 does not say whether the base or the owner budget was passed, and
          // either way it refuses for 30 s: pause every budget the request spends.
          await Promise.all(keys.map((k) => backend.store.block(k.key, options.penaltyMs)));
          break;
        }
        case 'retry':
          metrics.retries.inc({ reason: decision.reason });
          log.debug(
            { requestId: request.requestId, reason: decision.reason, delayMs: decision.delayMs },
            'retrying',
          );
          await sleep(decision.delayMs, undefined, { signal: request.signal }).catch(() => {
            throw new GatewayError('GATEWAY_ABORTED');
          });
          break;
      }
    }
  }

  const owners = new OwnerResolver(async (token, hash) => {
    const ownerKey = `owner:token-${hash}`;
    const request: GatewayRequest = {
      method: 'GET',
      path: '/v0/meta/whoami',
      search: '',
      token,
      priority: 'interactive',
    };
    const answer = await send(
      request,
      routeOf('GET', request.path),
      [{ key: ownerKey, limit: options.perOwnerLimit }],
      ownerKey,
    );
    if (answer.status !== 200) return undefined;
    const id = (JSON.parse(answer.body) as { id?: unknown }).id;
    if (typeof id !== 'string') return undefined;
    // Airtable counted that whoami against the owner: spend the owner's budget for it too.
    const owner = `owner:${id}`;
    await scheduler.admit({
      queueKey: owner,
      keys: [{ key: owner, limit: options.perOwnerLimit }],
      priority: 'interactive',
    });
    return id;
  }, options.ownerCacheTtlMs);

  async function request(input: GatewayRequest): Promise<GatewayResponse> {
    if (!input.token) throw new GatewayError('GATEWAY_UNAUTHENTICATED');
    let req = { ...input, requestId: input.requestId ?? randomUUID() };
    let route = routeOf(req.method, req.path);
    // Every records list, from the proxy or the in-process client, is switched here (one rule, one place).
    if (route.listByGet && listNeedsPost(`${options.upstreamUrl}${req.path}${req.search}`)) {
      req = { ...req, method: 'POST', ...listByPost(req.path, req.search) };
      route = routeOf(req.method, req.path);
    }
    const hash = tokenHash(req.token);
    const identity = `${hash} ${req.method} ${req.path}${req.search} ${req.body ?? ''}`;
    const cache =
      route.kind === 'schema' && req.method === 'GET' && options.schemaCacheTtlMs > 0
        ? { store: schemaCache, name: 'schema', ttl: options.schemaCacheTtlMs }
        : route.kind === 'records' && route.read && req.allowCache === true && options.recordCacheTtlMs > 0
          ? { store: recordCache, name: 'records', ttl: options.recordCacheTtlMs }
          : undefined;
    if (cache) {
      // A fresh read skips the cache, unless another one refreshed this schema a moment ago.
      const hit = req.fresh && !recentRefreshes.get(identity) ? undefined : cache.store.get(identity);
      metrics.cache.inc({ cache: cache.name, result: hit ? 'hit' : 'miss' });
      if (hit) return { ...hit, source: 'cache' };
    }
    const generation = route.baseId ? (generations.get(route.baseId) ?? 0) : 0;
    const run = async () => {
      const ownerKey = await owners.ownerKey(req.token);
      const keys: LimitKey[] = [{ key: ownerKey, limit: options.perOwnerLimit }];
      if (route.baseId) keys.push({ key: `base:${route.baseId}`, limit: options.perBaseLimit });
      return send(req, route, keys, route.baseId ? `base:${route.baseId}` : ownerKey);
    };
    let response: GatewayResponse;
    if (route.read && options.coalesce) {
      // A fresh read never joins one that may have started before the change it looks for.
      const { promise, joined } = coalescer.run(req.fresh ? `fresh ${identity}` : identity, run);
      if (joined) metrics.coalesced.inc();
      response = joined ? { ...(await promise), source: 'coalesced' } : await promise;
    } else response = await run();
    const ok = response.status >= 200 && response.status < 300;
    // A write to the base while this read was in flight makes its answer stale: do not keep it.
    const unchanged = route.baseId !== undefined && (generations.get(route.baseId) ?? 0) === generation;
    if (ok && cache && route.baseId && unchanged)
      cache.store.set(identity, route.baseId, response, cache.ttl);
    if (ok && req.fresh && route.baseId && response.source === 'upstream')
      recentRefreshes.set(identity, route.baseId, true, SCHEMA_REFRESH_INTERVAL_MS);
    if (ok && !route.read && route.baseId) {
      bus.publish({ baseId: route.baseId, scope: route.kind === 'schema' ? 'schema' : 'records' });
    }
    return response;
  }

  return {
    request,
    metrics,
    options,
    limiterMode: backend.mode,
    async close() {
      await scheduler.close();
      await bus.close();
      await backend.close();
      upstream.close();
    },
  };
}
