import { errors } from '../http/errors.ts';
import type { IdGenerator } from '../model/ids.ts';

interface ListIterator {
  tableId: string;
  ids: string[];
  positions: Map<string, number>;
  lastUsed: number;
}

export interface IteratorOptions {
  /** Idle time after which an offset stops working (Airtable: "a few minutes"). */
  ttlMs: number;
  /** Live iterators kept at most; the least recently used goes first. */
  maxIterators: number;
  now: () => number;
  ids: IdGenerator;
}

const OFFSET_PATTERN = /^(itr[A-Za-z0-9]{14})\/(rec[A-Za-z0-9]{14})$/;

/**
 * Server-side list cursors. An offset `itrX/recY` names a frozen list of record ids and
 * the next record to return, so paging is stable while records change underneath.
 */
export class IteratorStore {
  readonly #iterators = new Map<string, ListIterator>();

  constructor(private readonly options: IteratorOptions) {}

  /** Starts iterating `ids`; returns the offset for the record at `position`. */
  start(tableId: string, ids: string[], position: number): string {
    const id = this.options.ids('itr');
    this.#iterators.set(id, { tableId, ids, positions: new Map(), lastUsed: this.options.now() });
    this.#evict();
    return `${id}/${ids[position]}`;
  }

  /** Resolves an offset to the ids and the index to continue from; throws Airtable's 422s. */
  resume(offset: string, tableId: string): { ids: string[]; position: number; iteratorId: string } {
    const m = OFFSET_PATTERN.exec(offset);
    if (!m) throw errors.invalidOffset(offset);
    const [, iteratorId = '', recordId = ''] = m;
    const iterator = this.#iterators.get(iteratorId);
    const now = this.options.now();
    if (!iterator || iterator.tableId !== tableId || now - iterator.lastUsed > this.options.ttlMs) {
      this.#iterators.delete(iteratorId);
      throw errors.iteratorNotAvailable();
    }
    if (iterator.positions.size === 0) {
      for (const [i, id] of iterator.ids.entries()) iterator.positions.set(id, i);
    }
    const position = iterator.positions.get(recordId);
    if (position === undefined) throw errors.invalidOffset(offset);
    iterator.lastUsed = now;
    // Re-insert so Map order tracks recency for eviction.
    this.#iterators.delete(iteratorId);
    this.#iterators.set(iteratorId, iterator);
    return { ids: iterator.ids, position, iteratorId };
  }

  offsetFor(iteratorId: string, ids: string[], position: number): string {
    return `${iteratorId}/${ids[position]}`;
  }

  /** Forgets every cursor, as a server restart would. */
  expireAll(): number {
    const count = this.#iterators.size;
    this.#iterators.clear();
    return count;
  }

  #evict(): void {
    while (this.#iterators.size > this.options.maxIterators) {
      const oldest = this.#iterators.keys().next().value;
      if (oldest === undefined) break;
      this.#iterators.delete(oldest);
    }
  }
}
