/**
 * The contract between the gateway's scheduler and the stores that hold Airtable's
 * budgets. A store answers one question atomically: may a request spend one unit of every
 * one of these budgets right now, and if not, how long until it might?
 */

/** One budget: at most `limit` admissions in any sliding window for `key`. */
export interface LimitKey {
  /** e.g. `base:appXXXXXXXXXXXXXX` or `owner:usrXXXXXXXXXXXXXX`. */
  key: string;
  limit: number;
}

export type Admission =
  | {
      admitted: true;
      /** The store's own time of the admission, for `settle`. */
      at?: number;
      /** With `more`: when the same waiter's next admission may succeed (0: at once). */
      nextInMs?: number;
    }
  | { admitted: false /** When trying again may succeed. */; retryInMs: number };

export interface AcquireOptions {
  /**
   * Who asks, for stores shared by several processes: one id per process and queue, kept
   * while the queue has requests waiting. Such callers are admitted in the order they first
   * asked and each is told when its own slot opens, so they do not all wake for one slot.
   * Stores of one process ignore it.
   */
  waiter?: string;
  /** How long answers take (ms), to expect a slot held by an unsettled admission that much later. */
  answerMs?: number;
  /**
   * More requests of the waiter's queue wait behind this one: on admission, keep the waiter's
   * place at the back of the line and say when its next slot opens (`nextInMs`).
   */
  more?: boolean;
}

export interface AdmissionStore {
  /**
   * Admits one request against every key, all or nothing: if any key is full or blocked,
   * nothing is spent. Never throws for a full budget; throws only when the store itself
   * fails (a resilient wrapper turns that into a local fallback).
   */
  acquire(keys: LimitKey[], options?: AcquireOptions): Promise<Admission>;
  /**
   * The answer to the admission made at `at` has arrived: its request reached Airtable no
   * later than now, so the admission counts from now. Jitter between admission and arrival
   * (a busy event loop) can then never squeeze limit+1 arrivals into one window. Optional.
   */
  settle?(keys: LimitKey[], at: number): Promise<void>;
  /** Refuses every admission for `key` during `ms` (Airtable's 30-second penalty after a 429). */
  block(key: string, ms: number): Promise<void>;
  close(): Promise<void>;
}

export interface WindowSettings {
  /** The sliding window Airtable counts over: 1000 ms. */
  windowMs: number;
  /**
   * Extra spacing added to the window, so that jitter between admission here and arrival
   * at Airtable can never squeeze limit+1 requests into Airtable's one second.
   */
  safetyMarginMs: number;
  /**
   * Space admissions evenly, at least window/limit apart, instead of letting a full
   * budget go out at once. Bursts reach Airtable with more jitter than single requests
   * (measured: 23–55 ms for a burst of five against 2–6 ms for one), and jitter is what
   * could squeeze limit+1 arrivals into Airtable's second. Default false.
   */
  paced?: boolean;
}
