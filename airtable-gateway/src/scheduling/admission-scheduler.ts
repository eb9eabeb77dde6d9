import { randomUUID } from 'node:crypto';
import { GatewayError } from '../errors.ts';
import type { Admission, AdmissionStore, LimitKey } from '../limits/types.ts';
import type { Priority } from '../request.ts';
import { AdmissionPace } from './admission-pace.ts';
import { WaitingLine } from './waiting-line.ts';

export interface SchedulerOptions {
  store: AdmissionStore;
  /** Requests waiting per queue before new ones are refused (GATEWAY_QUEUE_FULL). */
  maxQueueLength: number;
  /**
   * Longest wait for a turn. A request whose expected turn lies beyond it is refused at once
   * (GATEWAY_QUEUE_TIMEOUT); one that still has not had its turn by then is refused then.
   */
  maxQueueWaitMs: number;
  /** Nominal admissions per second of a queue (its budget over the window), to estimate turns. */
  ratePerSecond: (queueKey: string) => number;
  /**
   * The budgets' window in ms, safety margin included (default 1000). An admission holds its
   * slot this long after its answer, so turns are estimated over the window plus answer time.
   */
  windowMs?: number;
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
  /** Set on admission: the scheduler's own time of it, to learn how long answers take. */
  admittedLocallyAt?: number;
}

interface Waiter {
  request: AdmitRequest;
  priority: Priority;
  enqueuedAt: number;
  deadline: number;
  resolve(waitedMs: number): void;
  reject(error: unknown): void;
  timer?: NodeJS.Timeout;
  onAbort?: () => void;
}

interface Queue {
  key: string;
  /** This queue's name in shared stores' lines of waiters (see AcquireOptions.waiter). */
  waiter: string;
  line: WaitingLine<Waiter>;
  pace: AdmissionPace;
  /** A store call for the first waiter is in flight. */
  trying: boolean;
  /** Set while the first waiter sleeps until the store said room may open. */
  wake?: NodeJS.Timeout;
  /** When the first waiter tries again (0: now, or not waiting). */
  wakeAt: number;
  /** The waiter that arrived at an idle queue: no deadline timer until its first try fails. */
  unarmed?: Waiter;
}

const deadlineOf = (waiter: Waiter): number => waiter.deadline;

/** Idle queues kept for what they learnt (answer times); past this many, idle ones are dropped. */
const MAX_IDLE_QUEUES = 1_000;

/**
 * Queues requests per base and admits them, in priority order, as fast as the shared budgets
 * allow: while a budget has room a request goes out at once (an idle base pays one store
 * call), and only a spent budget makes requests wait, each queue's first waiter sleeping
 * exactly until the store says room may open. A request that cannot have its turn within the
 * wait limit is refused at once, with a Retry-After for when a new request would be served in
 * time, instead of waiting for the limit to pass.
 */
export class AdmissionScheduler {
  readonly #queues = new Map<string, Queue>();
  readonly #now: () => number;
  readonly #windowMs: number;
  readonly #id = randomUUID();
  #closed = false;

  constructor(private readonly options: SchedulerOptions) {
    this.#now = options.now ?? Date.now;
    this.#windowMs = options.windowMs ?? 1000;
  }

  /** Resolves with the time waited once the request may go upstream. */
  admit(request: AdmitRequest): Promise<number> {
    if (request.signal?.aborted) return Promise.reject(new GatewayError('GATEWAY_ABORTED'));
    if (this.#closed) return Promise.reject(new GatewayError('GATEWAY_ABORTED'));
    const queue = this.#queue(request.queueKey);
    const now = this.#now();
    const { maxQueueLength, maxQueueWaitMs } = this.options;
    if (queue.line.size > 0) {
      // The bound counts those behind the first, whose turn is being decided.
      if (queue.line.size > maxQueueLength) {
        return Promise.reject(
          new GatewayError('GATEWAY_QUEUE_FULL', { retryAfterMs: this.#retryAfterMs(queue, now) }),
        );
      }
      const turn = this.#turnMs(queue, queue.line.ahead(request.priority), now);
      if (turn > maxQueueWaitMs) {
        return Promise.reject(
          new GatewayError('GATEWAY_QUEUE_TIMEOUT', { retryAfterMs: this.#retryAfterMs(queue, now) }),
        );
      }
    }
    return new Promise<number>((resolve, reject) => {
      const waiter: Waiter = {
        request,
        priority: request.priority,
        enqueuedAt: now,
        deadline: now + maxQueueWaitMs,
        resolve,
        reject,
      };
      const first = queue.line.size === 0;
      queue.line.add(waiter);
      // The first request of an idle queue usually goes out on its first try: it gets a
      // deadline timer only if it has to wait (see #answered).
      if (first) queue.unarmed = waiter;
      else this.#arm(queue, waiter);
      this.options.onQueueLength?.(queue.key, queue.line.size);
      this.#pump(queue);
    });
  }

  /** The admitted request's answer is back: its admission counts from now (see AdmissionStore.settle). */
  async settle(request: AdmitRequest): Promise<void> {
    if (request.admittedAt === undefined) return;
    if (request.admittedLocallyAt !== undefined) {
      this.#queues.get(request.queueKey)?.pace.answered(this.#now() - request.admittedLocallyAt);
    }
    // Not awaited: a shared store may send it with its next admission. Stores apply settles in
    // the order they are made, before any later admission of this process.
    this.options.store.settle?.(request.keys, request.admittedAt).catch(() => {});
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const queue of this.#queues.values()) {
      clearTimeout(queue.wake);
      for (const waiter of queue.line.inOrder())
        this.#leave(queue, waiter, new GatewayError('GATEWAY_ABORTED'));
    }
    this.#queues.clear();
  }

  #queue(key: string): Queue {
    let queue = this.#queues.get(key);
    if (!queue) {
      queue = {
        key,
        waiter: `${this.#id}:${key}`,
        line: new WaitingLine<Waiter>(),
        pace: new AdmissionPace(Math.max(1e-6, this.options.ratePerSecond(key)), this.#windowMs),
        trying: false,
        wakeAt: 0,
      };
      this.#queues.set(key, queue);
    }
    return queue;
  }

  /** Expected wait, from `now`, of a request with `ahead` others before it. */
  #turnMs(queue: Queue, ahead: number, now: number): number {
    const firstWait = Math.max(0, queue.wakeAt - now);
    return firstWait + ahead * queue.pace.intervalMs(now);
  }

  /**
   * When a new request would be accepted: once the line is shorter than its bound and the
   * newcomer's turn falls within the wait limit. Never longer than that.
   */
  #retryAfterMs(queue: Queue, now: number): number {
    const { maxQueueLength, maxQueueWaitMs } = this.options;
    const size = queue.line.size;
    const untilRoom = size > maxQueueLength ? this.#turnMs(queue, size - maxQueueLength, now) : 0;
    const untilInTime = this.#turnMs(queue, size, now) - maxQueueWaitMs;
    return Math.max(1, Math.ceil(Math.max(untilRoom, untilInTime)));
  }

  /** The deadline timer and the caller's cancellation, for a request that waits. */
  #arm(queue: Queue, waiter: Waiter): void {
    if (waiter.timer) return;
    if (waiter.request.signal?.aborted) {
      this.#leave(queue, waiter, new GatewayError('GATEWAY_ABORTED'));
      return;
    }
    waiter.timer = setTimeout(
      () => {
        this.#leave(
          queue,
          waiter,
          new GatewayError('GATEWAY_QUEUE_TIMEOUT', {
            retryAfterMs: this.#retryAfterMs(queue, this.#now()),
          }),
        );
      },
      Math.max(0, waiter.deadline - this.#now()),
    );
    const signal = waiter.request.signal;
    if (signal) {
      waiter.onAbort = () => this.#leave(queue, waiter, new GatewayError('GATEWAY_ABORTED'));
      signal.addEventListener('abort', waiter.onAbort, { once: true });
    }
  }

  /** Takes a waiter out of the line with an error. */
  #leave(queue: Queue, waiter: Waiter, error: GatewayError): void {
    if (!queue.line.remove(waiter)) return;
    this.#disarm(waiter);
    this.options.onQueueLength?.(queue.key, queue.line.size);
    waiter.reject(error);
    this.#forget(queue);
  }

  #disarm(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    waiter.timer = undefined;
    if (waiter.onAbort) waiter.request.signal?.removeEventListener('abort', waiter.onAbort);
  }

  /** An idle queue is kept for its pace while few are; past MAX_IDLE_QUEUES it is dropped. */
  #forget(queue: Queue): void {
    if (queue.line.size > 0 || queue.trying || queue.wake) return;
    queue.wakeAt = 0;
    queue.unarmed = undefined;
    if (this.#queues.size > MAX_IDLE_QUEUES) this.#queues.delete(queue.key);
  }

  /** Asks the store for the first waiter's turn, unless a try is in flight or scheduled. */
  #pump(queue: Queue): void {
    if (queue.trying || queue.wake || this.#closed) return;
    const head = queue.line.first();
    if (!head) return;
    queue.trying = true;
    const how = { waiter: queue.waiter, answerMs: queue.pace.answerMs(), more: queue.line.size > 1 };
    this.options.store.acquire(head.request.keys, how).then(
      (admission) => this.#answered(queue, head, admission),
      (error: unknown) => {
        queue.trying = false;
        if (queue.line.remove(head)) {
          this.#disarm(head);
          this.options.onQueueLength?.(queue.key, queue.line.size);
          head.reject(error);
        }
        this.#pump(queue);
        this.#forget(queue);
      },
    );
  }

  #answered(queue: Queue, head: Waiter, admission: Admission): void {
    queue.trying = false;
    const now = this.#now();
    if (admission.admitted) {
      queue.wakeAt = 0;
      // A waiter that left meanwhile (cancelled, timed out) leaves its admission unused.
      if (queue.line.remove(head)) {
        this.#disarm(head);
        head.request.admittedAt = admission.at;
        head.request.admittedLocallyAt = now;
        queue.pace.admitted(now, queue.line.size > 0);
        this.options.onQueueLength?.(queue.key, queue.line.size);
        head.resolve(now - head.enqueuedAt);
      }
      if (queue.unarmed === head) queue.unarmed = undefined;
      // A shared store that said when the next slot opens spares the next waiter a vain ask.
      if (admission.nextInMs && queue.line.size > 0) this.#sleep(queue, now, admission.nextInMs);
      else this.#pump(queue);
      this.#forget(queue);
      return;
    }
    queue.pace.backlogged(now);
    queue.wakeAt = now + admission.retryInMs;
    this.#refuseLate(queue, now);
    if (queue.unarmed) {
      const waiter = queue.unarmed;
      queue.unarmed = undefined;
      this.#arm(queue, waiter);
    }
    if (queue.line.size === 0) {
      this.#forget(queue);
      return;
    }
    this.#sleep(queue, now, admission.retryInMs);
  }

  /** The first waiter tries again in `ms`. */
  #sleep(queue: Queue, now: number, ms: number): void {
    queue.wakeAt = now + ms;
    queue.wake = setTimeout(() => {
      queue.wake = undefined;
      queue.wakeAt = 0;
      this.#pump(queue);
    }, ms);
  }

  /** Refuses now every waiter whose expected turn lies past its deadline. */
  #refuseLate(queue: Queue, now: number): void {
    const interval = queue.pace.intervalMs(now);
    const firstWait = Math.max(0, queue.wakeAt - now);
    // Deadlines grow along each lane (arrival order): when even the last turn comes before
    // the earliest deadline, nobody is late, and the line need not be walked.
    const lastTurn = now + firstWait + (queue.line.size - 1) * interval;
    if (lastTurn <= queue.line.leastOfFirsts(deadlineOf)) return;
    let ahead = 0;
    for (const waiter of queue.line.inOrder()) {
      if (now + firstWait + ahead * interval > waiter.deadline) {
        if (queue.line.remove(waiter)) {
          this.#disarm(waiter);
          waiter.reject(
            new GatewayError('GATEWAY_QUEUE_TIMEOUT', { retryAfterMs: this.#retryAfterMs(queue, now) }),
          );
        }
      } else ahead++;
    }
    this.options.onQueueLength?.(queue.key, queue.line.size);
  }
}
