import Bottleneck from 'bottleneck';
import { GatewayError } from '../errors.ts';
import type { AdmissionStore, LimitKey } from '../limits/types.ts';
import type { Priority } from '../request.ts';

/** Bottleneck priorities: lower runs first. */
const PRIORITY_RANK: Record<Priority, number> = { interactive: 1, normal: 5, bulk: 9 };

export interface SchedulerOptions {
  store: AdmissionStore;
  /** Requests waiting per queue before new ones are refused. */
  maxQueueLength: number;
  /** Longest wait for a turn before GATEWAY_QUEUE_TIMEOUT. */
  maxQueueWaitMs: number;
  /** Per-queue admissions per second, to estimate Retry-After for refused requests. */
  ratePerSecond: (queueKey: string) => number;
  onQueueLength?: (queueKey: string, length: number) => void;
  now?: () => number;
}

export interface AdmitRequest {
  /** One queue per base (or per owner for calls without a base), so bases do not block each other. */
  queueKey: string;
  keys: LimitKey[];
  priority: Priority;
  signal?: AbortSignal;
  /** Set on admission: the store's time of it, to `settle` once the answer is back. */
  admittedAt?: number;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Queues requests per base and lets them out, one at a time and in priority order, as the
 * shared budgets allow. Bottleneck holds the queue (priorities, bound); the store decides
 * admission. A request that cannot get its turn in time gets a 429 of the gateway's own
 * with a Retry-After, never a hang.
 */
export class AdmissionScheduler {
  readonly #group: Bottleneck.Group;
  readonly #now: () => number;
  readonly #fastPathBusy = new Set<string>();

  constructor(private readonly options: SchedulerOptions) {
    this.#now = options.now ?? Date.now;
    this.#group = new Bottleneck.Group({
      maxConcurrent: 1,
      highWater: options.maxQueueLength,
      strategy: Bottleneck.strategy.OVERFLOW,
    });
  }

  /** Resolves with the time waited once the request may go upstream. */
  async admit(request: AdmitRequest): Promise<number> {
    const started = this.#now();
    const deadline = started + this.options.maxQueueWaitMs;
    const limiter = this.#group.key(request.queueKey);
    // Fast path: with nobody waiting there is no order to keep, so skip the queue's own
    // scheduling cost (milliseconds per job) and ask the store directly.
    const counts = limiter.counts();
    const waiting = counts.RECEIVED + counts.QUEUED + counts.RUNNING + counts.EXECUTING;
    // One fast-path try per queue at a time, so a crowd arriving together does not all ask the store.
    if (waiting === 0 && !this.#fastPathBusy.has(request.queueKey)) {
      if (request.signal?.aborted) throw new GatewayError('GATEWAY_ABORTED');
      this.#fastPathBusy.add(request.queueKey);
      try {
        const admission = await this.options.store.acquire(request.keys);
        if (admission.admitted) {
          request.admittedAt = admission.at;
          return this.#now() - started;
        }
      } finally {
        this.#fastPathBusy.delete(request.queueKey);
      }
    }
    const giveUp = new AbortController();
    const onCallerAbort = () => giveUp.abort();
    request.signal?.addEventListener('abort', onCallerAbort, { once: true });
    let admitted = false;

    const job = async () => {
      while (!giveUp.signal.aborted) {
        const result = await this.options.store.acquire(request.keys);
        if (result.admitted) {
          request.admittedAt = result.at;
          admitted = !giveUp.signal.aborted;
          return;
        }
        await sleep(Math.max(1, Math.min(result.retryInMs, deadline - this.#now())), giveUp.signal);
      }
    };

    const retryAfterMs = () => {
      const queued = limiter.counts().QUEUED + 1;
      return Math.ceil((queued / Math.max(1, this.options.ratePerSecond(request.queueKey))) * 1000);
    };
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        giveUp.abort();
        reject(new GatewayError('GATEWAY_QUEUE_TIMEOUT', { retryAfterMs: retryAfterMs() }));
      }, this.options.maxQueueWaitMs);
    });
    const scheduled = limiter
      .schedule({ priority: PRIORITY_RANK[request.priority] }, job)
      .catch((error: unknown) => {
        if (error instanceof Bottleneck.BottleneckError) {
          throw new GatewayError('GATEWAY_QUEUE_FULL', { retryAfterMs: retryAfterMs(), cause: error });
        }
        throw error;
      });
    // If the timeout wins the race, a later rejection of the job has no one left to tell.
    scheduled.catch(() => {});
    this.options.onQueueLength?.(request.queueKey, limiter.counts().QUEUED);
    try {
      await Promise.race([scheduled, timedOut]);
      if (request.signal?.aborted) throw new GatewayError('GATEWAY_ABORTED');
      if (!admitted) throw new GatewayError('GATEWAY_QUEUE_TIMEOUT', { retryAfterMs: retryAfterMs() });
      return this.#now() - started;
    } finally {
      clearTimeout(timer);
      giveUp.abort();
      request.signal?.removeEventListener('abort', onCallerAbort);
      this.options.onQueueLength?.(request.queueKey, limiter.counts().QUEUED);
    }
  }

  /** The admitted request's answer is back: its admission counts from now (see AdmissionStore.settle). */
  async settle(request: AdmitRequest): Promise<void> {
    if (request.admittedAt === undefined) return;
    await this.options.store.settle?.(request.keys, request.admittedAt).catch(() => {});
  }

  async close(): Promise<void> {
    await Promise.all(
      this.#group.limiters().map(({ limiter }) => limiter.stop({ dropWaitingJobs: true }).catch(() => {})),
    );
  }
}
