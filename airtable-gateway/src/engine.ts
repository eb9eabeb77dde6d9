import { Coalescer } from './cache/coalescer.ts';
import { createLocalBus } from './cache/invalidation-bus.ts';
import { createRequestHandler } from './engine/handle-request.ts';
import { createOwnerLookup } from './engine/owner-lookup.ts';
import { ReadCaches } from './engine/read-caches.ts';
import { createSender } from './engine/send-with-retries.ts';
import { createGatewayMetrics, type GatewayMetrics } from './metrics.ts';
import type { GatewayOptions, ResolvedGatewayOptions } from './options.ts';
import type { GatewayRequest, GatewayResponse } from './request.ts';
import { resolveGatewayOptions } from './resolve-options.ts';
import { AdmissionScheduler } from './scheduling/admission-scheduler.ts';
import { type AdmissionBackend, createAdmissionBackend } from './shared-state.ts';
import { httpUpstream } from './upstream/http-upstream.ts';
import { fetchUpstream } from './upstream/send.ts';

export { SCHEMA_REFRESH_INTERVAL_MS } from './engine/read-caches.ts';

export interface GatewayEngine {
  /** Sends one Airtable API call with the gateway's guarantees; Airtable's answer comes back unchanged. */
  request(request: GatewayRequest): Promise<GatewayResponse>;
  readonly metrics: GatewayMetrics;
  readonly options: Readonly<ResolvedGatewayOptions>;
  /** 'local' (in-process budgets), 'shared' (Redis) or 'fallback' (Redis unreachable). */
  limiterMode(): 'local' | 'shared' | 'fallback';
  close(): Promise<void>;
}

/** One queue per base (or owner): its nominal rate is its budget over the window. */
function createScheduler(
  options: Readonly<ResolvedGatewayOptions>,
  backend: AdmissionBackend,
  metrics: GatewayMetrics,
): AdmissionScheduler {
  return new AdmissionScheduler({
    store: backend.store,
    maxQueueLength: options.maxQueueLength,
    maxQueueWaitMs: options.maxQueueWaitMs,
    ratePerSecond: (queue) =>
      ((queue.startsWith('base:') ? options.perBaseLimit : options.perOwnerLimit) * 1000) / backend.windowMs,
    windowMs: backend.windowMs,
    onQueueLength: (queue, length) => metrics.queueLength.set({ queue }, length),
  });
}

/** Builds a gateway: budgets, queue, retries, coalescing and caches around one upstream. */
export async function createGatewayEngine(input: GatewayOptions = {}): Promise<GatewayEngine> {
  const options = resolveGatewayOptions(input);
  const metrics = createGatewayMetrics();
  const backend = await createAdmissionBackend(options, metrics);
  const bus = backend.bus ?? createLocalBus();
  const scheduler = createScheduler(options, backend, metrics);
  // An injected fetch (tests, recording proxies) is used as given; otherwise node:http(s).
  const upstream = input.fetch ? fetchUpstream(options.fetch) : httpUpstream();
  const send = createSender({ options, metrics, scheduler, upstream, store: backend.store });
  const request = createRequestHandler({
    options,
    metrics,
    owners: createOwnerLookup(options, scheduler, send),
    caches: new ReadCaches(options, metrics, bus),
    coalescer: new Coalescer<GatewayResponse>(),
    send,
  });
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
