import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The gateway's Prometheus metrics, on a registry of its own (no global state). */
export function createGatewayMetrics() {
  const registry = new Registry();
  const upstreamRequests = new Counter({
    name: 'airsuite_gateway_upstream_requests_total',
    help: 'Requests sent to Airtable, by base and HTTP status (0 when no answer came)',
    labelNames: ['base', 'status'] as const,
    registers: [registry],
  });
  const upstreamLatency = new Histogram({
    name: 'airsuite_gateway_upstream_duration_seconds',
    help: 'Time from sending a request to Airtable until its answer',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const queueWait = new Histogram({
    name: 'airsuite_gateway_queue_wait_seconds',
    help: 'Time a request waited for its turn under the rate limits',
    labelNames: ['priority'] as const,
    buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const queueLength = new Gauge({
    name: 'airsuite_gateway_queue_length',
    help: 'Requests waiting for their turn, by queue (a base, or an owner for calls without a base)',
    labelNames: ['queue'] as const,
    registers: [registry],
  });
  const retries = new Counter({
    name: 'airsuite_gateway_retries_total',
    help: 'Upstream attempts repeated, by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'airsuite_gateway_upstream_429_total',
    help: '429 answers received from Airtable, by error type',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  const coalesced = new Counter({
    name: 'airsuite_gateway_coalesced_total',
    help: 'Reads answered by joining an identical call already in flight',
    registers: [registry],
  });
  const cache = new Counter({
    name: 'airsuite_gateway_cache_lookups_total',
    help: 'Cache lookups, by cache and result',
    labelNames: ['cache', 'result'] as const,
    registers: [registry],
  });
  const refused = new Counter({
    name: 'airsuite_gateway_refused_total',
    help: "Requests refused by the gateway's own bounds, by code",
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const limiterFallback = new Gauge({
    name: 'airsuite_gateway_limiter_fallback',
    help: '1 while the shared (Redis) budgets are unreachable and a conservative local budget is used',
    registers: [registry],
  });
  return {
    registry,
    upstreamRequests,
    upstreamLatency,
    queueWait,
    queueLength,
    retries,
    rateLimited,
    coalesced,
    cache,
    refused,
    limiterFallback,
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
