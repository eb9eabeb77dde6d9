import { LRUCache } from 'lru-cache';
import { errors } from '../http/errors.ts';
import type { IdGenerator } from '../model/ids.ts';

interface ListIterator {
  tableId: string;
  ids: string[];
  positions: Map<string, number>;
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
  /** Each iterator expires `ttlMs` after its last use; past `maxIterators`, the least recently used goes. */
  readonly #iterators: LRUCache<string, ListIterator>;

  constructor(private readonly options: IteratorOptions) {
    const { now } = options;
    this.#iterators = new LRUCache<string, ListIterator>({
      max: options.maxIterators,
      // lru-cache takes whole milliseconds, and 0 would mean never.
      ttl: Math.max(1, Math.floor(options.ttlMs)),
      // lru-cache reads a start time of 0 as "never expires": keep the clock it sees above 0.
      perf: { now: () => now() + 1 },
      // Read the clock on every lookup (the default caches it for 1 ms behind a timer).
      ttlResolution: 0,
    });
  }

  /** Starts iterating `ids`; returns the offset for the record at `position`. */
  start(tableId: string, ids: string[], position: number): string {
    const id = this.options.ids('itr');
    this.#iterators.set(id, { tableId, ids, positions: new Map() });
    return `${id}/${ids[position]}`;
  }

  /** Resolves an offset to the ids and the index to continue from; throws Airtable's 422s. */
  resume(offset: string, tableId: string): { ids: string[]; position: number; iteratorId: string } {
    const m = OFFSET_PATTERN.exec(offset);
    if (!m) throw errors.invalidOffset(offset);
    const [, iteratorId = '', recordId = ''] = m;
    // Looked at without counting as a use: only an offset that resumes keeps the iterator alive.
    const iterator = this.#iterators.peek(iteratorId);
    if (!iterator || iterator.tableId !== tableId) {
      this.#iterators.delete(iteratorId);
      throw errors.iteratorNotAvailable();
    }
    if (iterator.positions.size === 0) {
      for (const [i, id] of iterator.ids.entries()) iterator.positions.set(id, i);
    }
    const position = iterator.positions.get(recordId);
    if (position === undefined) throw errors.invalidOffset(offset);
    // A use: the idle time starts again, and the iterator becomes the most recently used.
    this.#iterators.get(iteratorId, { updateAgeOnGet: true });
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
}
