/**
 * Merges identical concurrent calls: while one is in flight, later callers with the same
 * key share its result instead of spending another upstream request.
 */
export class Coalescer<V> {
  readonly #inFlight = new Map<string, Promise<V>>();

  /** `joined` tells the caller whether it rode on someone else's call. */
  run(key: string, call: () => Promise<V>): { promise: Promise<V>; joined: boolean } {
    const existing = this.#inFlight.get(key);
    if (existing) return { promise: existing, joined: true };
    const promise = call().finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, promise);
    return { promise, joined: false };
  }

  get size(): number {
    return this.#inFlight.size;
  }
}
