export interface RateLimitSettings {
  enabled: boolean;
  /** Requests per sliding second per base (Airtable: 5). */
  perBase: number;
  /** Requests per sliding second per token owner (Airtable: 50). */
  perOwner: number;
  /** Lock-out after a 429 (Airtable: 30 s). */
  penaltyMs: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = Object.freeze({
  enabled: true,
  perBase: 5,
  perOwner: 50,
  penaltyMs: 30_000,
});

const WINDOW_MS = 1000;

interface Bucket {
  hits: number[];
  penaltyUntil: number;
}

/**
 * Airtable's limits counted over ANY sliding one-second window (the strictest reading of
 * "5 requests per second"), with the 30-second penalty once a limit is passed. A client
 * that is never refused here is never refused by Airtable.
 */
export class SlidingWindowLimiter {
  readonly #buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number) {}

  /** Admits a request against every key (limit per key), all or nothing. */
  admit(keys: { key: string; limit: number }[], penaltyMs: number): boolean {
    const now = this.now();
    const buckets = keys.map(({ key, limit }) => ({ bucket: this.#bucket(key, now), limit }));
    let refused = false;
    for (const { bucket, limit } of buckets) {
      if (bucket.penaltyUntil > now) refused = true;
      else if (bucket.hits.length >= limit) {
        bucket.penaltyUntil = now + penaltyMs;
        refused = true;
      }
    }
    if (refused) return false;
    for (const { bucket } of buckets) bucket.hits.push(now);
    return true;
  }

  /** Puts a key in the penalty box, as a forced 429 does. */
  penalize(key: string, penaltyMs: number): void {
    this.#bucket(key, this.now()).penaltyUntil = this.now() + penaltyMs;
  }

  reset(): void {
    this.#buckets.clear();
  }

  #bucket(key: string, now: number): Bucket {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = { hits: [], penaltyUntil: 0 };
      this.#buckets.set(key, bucket);
    }
    const cutoff = now - WINDOW_MS;
    let drop = 0;
    while (drop < bucket.hits.length && (bucket.hits[drop] as number) <= cutoff) drop++;
    if (drop > 0) bucket.hits.splice(0, drop);
    return bucket;
  }
}
