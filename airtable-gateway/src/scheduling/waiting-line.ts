import type { Priority } from '../request.ts';

/** Lanes in the order they are served: an interactive call goes ahead of normal, normal of bulk. */
const LANE: Record<Priority, number> = { interactive: 0, normal: 1, bulk: 2 };

/**
 * The requests waiting for one queue's turn, in the order they will be admitted: by
 * priority, then first come first served. Knows how many stand ahead of a newcomer, which
 * is what its expected turn is computed from.
 */
export class WaitingLine<T extends { priority: Priority }> {
  readonly #lanes: T[][] = [[], [], []];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** The next to be admitted. */
  first(): T | undefined {
    for (const lane of this.#lanes) if (lane.length > 0) return lane[0];
    return undefined;
  }

  /** How many would stand ahead of a newcomer of `priority`. */
  ahead(priority: Priority): number {
    let count = 0;
    for (let lane = 0; lane <= LANE[priority]; lane++) count += (this.#lanes[lane] as T[]).length;
    return count;
  }

  add(item: T): void {
    (this.#lanes[LANE[item.priority]] as T[]).push(item);
    this.#size++;
  }

  /** Takes `item` out of the line; false if it was not in it. */
  remove(item: T): boolean {
    const lane = this.#lanes[LANE[item.priority]] as T[];
    const index = lane[0] === item ? 0 : lane.indexOf(item);
    if (index < 0) return false;
    if (index === 0) lane.shift();
    else lane.splice(index, 1);
    this.#size--;
    return true;
  }

  /** The least `score` among the lanes' first items: the least of all when, as with arrival times, it grows along each lane. */
  leastOfFirsts(score: (item: T) => number): number {
    let least = Number.POSITIVE_INFINITY;
    for (const lane of this.#lanes) if (lane.length > 0) least = Math.min(least, score(lane[0] as T));
    return least;
  }

  /** A snapshot of the waiting items in admission order (safe to remove items meanwhile). */
  inOrder(): T[] {
    return this.#lanes.flat();
  }
}
