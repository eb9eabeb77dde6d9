import type { InvalidationBus } from '../cache/invalidation-bus.ts';
import { TtlCache } from '../cache/ttl-cache.ts';
import type { GatewayMetrics } from '../metrics.ts';
import type { ResolvedGatewayOptions } from '../options.ts';
import type { GatewayRequest, GatewayResponse } from '../request.ts';
import type { RouteInfo } from '../route.ts';

const MAX_CACHE_ENTRIES = 5_000;
/**
 * At most one forced schema read (`fresh`) per base and token in this long: a stream of calls
 * naming a table that does not exist costs one schema read a second, not one a call.
 */
export const SCHEMA_REFRESH_INTERVAL_MS = 1_000;

/** The cache a read may be answered from, and how long its answers are kept. */
interface CacheChoice {
  store: TtlCache<GatewayResponse>;
  name: 'schema' | 'records';
  ttl: number;
}

/**
 * The schema and record caches, kept per base and dropped when the base changes: a write
 * through any gateway (the bus carries it to the others) drops the base's cached reads, and
 * a read that was in flight across the write is not kept.
 */
export class ReadCaches {
  readonly #records = new TtlCache<GatewayResponse>(MAX_CACHE_ENTRIES);
  readonly #schemas = new TtlCache<GatewayResponse>(MAX_CACHE_ENTRIES);
  /** Schemas read fresh (by identity) within the last SCHEMA_REFRESH_INTERVAL_MS. */
  readonly #recentRefreshes = new TtlCache<true>(MAX_CACHE_ENTRIES);
  /** Bumped on every invalidation of a base, so reads that straddle a write are not cached. */
  readonly #generations = new Map<string, number>();

  constructor(
    private readonly options: Readonly<ResolvedGatewayOptions>,
    private readonly metrics: GatewayMetrics,
    private readonly bus: InvalidationBus,
  ) {
    bus.subscribe(({ baseId, scope }) => {
      this.#generations.set(baseId, this.generation(baseId) + 1);
      this.#records.invalidateGroup(baseId);
      if (scope === 'schema') this.#schemas.invalidateGroup(baseId);
    });
  }

  /** The cache this read may use, if any. */
  choose(request: GatewayRequest, route: RouteInfo): CacheChoice | undefined {
    const { schemaCacheTtlMs, recordCacheTtlMs } = this.options;
    if (route.kind === 'schema' && request.method === 'GET' && schemaCacheTtlMs > 0)
      return { store: this.#schemas, name: 'schema', ttl: schemaCacheTtlMs };
    if (route.kind === 'records' && route.read && request.allowCache === true && recordCacheTtlMs > 0)
      return { store: this.#records, name: 'records', ttl: recordCacheTtlMs };
    return undefined;
  }

  /** A cached answer for `identity`; a fresh read skips the cache, unless another one refreshed it a moment ago. */
  lookup(cache: CacheChoice, identity: string, fresh: boolean | undefined): GatewayResponse | undefined {
    const hit = fresh && !this.#recentRefreshes.get(identity) ? undefined : cache.store.get(identity);
    this.metrics.cache.inc({ cache: cache.name, result: hit ? 'hit' : 'miss' });
    return hit;
  }

  /** How many times the base was invalidated so far. */
  generation(baseId: string | undefined): number {
    return baseId ? (this.#generations.get(baseId) ?? 0) : 0;
  }

  /**
   * A successful answer is back: keep it if the base did not change while it was in flight,
   * note a fresh read, and tell every gateway that a write changed the base.
   */
  answered(
    request: GatewayRequest,
    route: RouteInfo,
    identity: string,
    cache: CacheChoice | undefined,
    generation: number,
    response: GatewayResponse,
  ): void {
    const baseId = route.baseId;
    if (baseId === undefined) return;
    if (cache && this.generation(baseId) === generation)
      cache.store.set(identity, baseId, response, cache.ttl);
    if (request.fresh && response.source === 'upstream')
      this.#recentRefreshes.set(identity, baseId, true, SCHEMA_REFRESH_INTERVAL_MS);
    if (!route.read) this.bus.publish({ baseId, scope: route.kind === 'schema' ? 'schema' : 'records' });
  }
}
