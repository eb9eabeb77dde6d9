import { randomUUID } from 'node:crypto';
import type { Coalescer } from '../cache/coalescer.ts';
import { GatewayError } from '../errors.ts';
import type { LimitKey } from '../limits/types.ts';
import type { GatewayMetrics } from '../metrics.ts';
import type { ResolvedGatewayOptions } from '../options.ts';
import { type OwnerResolver, tokenHash } from '../owner-resolver.ts';
import type { GatewayRequest, GatewayResponse } from '../request.ts';
import { type RouteInfo, routeOf } from '../route.ts';
import { listByPost, listNeedsPost } from '../wire/list-by-post.ts';
import type { ReadCaches } from './read-caches.ts';
import type { SendWithRetries } from './send-with-retries.ts';

export interface RequestParts {
  options: Readonly<ResolvedGatewayOptions>;
  metrics: GatewayMetrics;
  owners: OwnerResolver;
  caches: ReadCaches;
  coalescer: Coalescer<GatewayResponse>;
  send: SendWithRetries;
}

/** The request as it will be sent, with its route: a records list too long for a GET becomes a POST. */
function prepare(options: Readonly<ResolvedGatewayOptions>, input: GatewayRequest) {
  let request = { ...input, requestId: input.requestId ?? randomUUID() };
  let route = routeOf(request.method, request.path);
  // Every records list, from the proxy or the in-process client, is switched here (one rule, one place).
  if (route.listByGet && listNeedsPost(`${options.upstreamUrl}${request.path}${request.search}`)) {
    request = { ...request, method: 'POST', ...listByPost(request.path, request.search) };
    route = routeOf(request.method, request.path);
  }
  return { request, route };
}

/** Sends the request with the budgets it spends (its owner's, and its base's), in its base's queue. */
async function sendWithBudgets(parts: RequestParts, request: GatewayRequest, route: RouteInfo) {
  const { options } = parts;
  const ownerKey = await parts.owners.ownerKey(request.token);
  const keys: LimitKey[] = [{ key: ownerKey, limit: options.perOwnerLimit }];
  if (!route.baseId) return parts.send(request, route, keys, ownerKey);
  const baseKey = `base:${route.baseId}`;
  keys.push({ key: baseKey, limit: options.perBaseLimit });
  return parts.send(request, route, keys, baseKey);
}

/**
 * The engine's `request`: answers from a cache when it may, merges identical reads in
 * flight, and otherwise sends the request with every budget it spends.
 */
export function createRequestHandler(
  parts: RequestParts,
): (input: GatewayRequest) => Promise<GatewayResponse> {
  const { options, metrics, caches, coalescer } = parts;

  return async function request(input) {
    if (!input.token) throw new GatewayError('GATEWAY_UNAUTHENTICATED');
    const { request: req, route } = prepare(options, input);
    const identity = `${tokenHash(req.token)} ${req.method} ${req.path}${req.search} ${req.body ?? ''}`;
    const cache = caches.choose(req, route);
    if (cache) {
      const hit = caches.lookup(cache, identity, req.fresh);
      if (hit) return { ...hit, source: 'cache' };
    }
    const generation = caches.generation(route.baseId);
    let response: GatewayResponse;
    if (route.read && options.coalesce) {
      // A fresh read never joins one that may have started before the change it looks for.
      const key = req.fresh ? `fresh ${identity}` : identity;
      const { promise, joined } = coalescer.run(key, () => sendWithBudgets(parts, req, route));
      if (joined) metrics.coalesced.inc();
      response = joined ? { ...(await promise), source: 'coalesced' } : await promise;
    } else response = await sendWithBudgets(parts, req, route);
    if (response.status >= 200 && response.status < 300)
      caches.answered(req, route, identity, cache, generation, response);
    return response;
  };
}
