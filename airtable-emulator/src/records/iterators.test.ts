import { describe, expect, it } from 'vitest';
import { AirtableApiError } from '../http/airtable-error.ts';
import { createIdGenerator } from '../model/ids.ts';
import { IteratorStore } from './iterators.ts';

function store(ttlMs = 1000, maxIterators = 10) {
  const clock = { t: 0 };
  const iterators = new IteratorStore({ ttlMs, maxIterators, now: () => clock.t, ids: createIdGenerator() });
  return { clock, iterators };
}

const ids = ['recAAAAAAAAAAAAAA', 'recBBBBBBBBBBBBBB', 'recCCCCCCCCCCCCCC'];

function typeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof AirtableApiError ? error.type : 'other';
  }
  return undefined;
}

describe('list iterators', () => {
  it('resumes at the record the offset names, as often as asked', () => {
    const { iterators } = store();
    const offset = iterators.start('tbl1', ids, 1);
    expect(offset).toMatch(/^itr[A-Za-z0-9]{14}\/recBBBBBBBBBBBBBB$/);
    expect(iterators.resume(offset, 'tbl1').position).toBe(1);
    expect(iterators.resume(offset, 'tbl1').position).toBe(1);
  });

  it('expires after the idle time with LIST_RECORDS_ITERATOR_NOT_AVAILABLE', () => {
    const { clock, iterators } = store(1000);
    const offset = iterators.start('tbl1', ids, 1);
    clock.t = 900;
    iterators.resume(offset, 'tbl1');
    clock.t = 1800;
    expect(typeOf(() => iterators.resume(offset, 'tbl1'))).toBeUndefined();
    clock.t = 2801;
    expect(typeOf(() => iterators.resume(offset, 'tbl1'))).toBe('LIST_RECORDS_ITERATOR_NOT_AVAILABLE');
  });

  it('refuses an offset from another table or after expireAll', () => {
    const { iterators } = store();
    const offset = iterators.start('tbl1', ids, 1);
    expect(typeOf(() => iterators.resume(offset, 'tbl2'))).toBe('LIST_RECORDS_ITERATOR_NOT_AVAILABLE');
    const other = iterators.start('tbl1', ids, 2);
    expect(iterators.expireAll()).toBe(1);
    expect(typeOf(() => iterators.resume(other, 'tbl1'))).toBe('LIST_RECORDS_ITERATOR_NOT_AVAILABLE');
  });

  it('answers a malformed offset with INVALID_OFFSET_VALUE', () => {
    const { iterators } = store();
    for (const bad of ['', 'abc', 'itr123/rec123', 'itrAAAAAAAAAAAAAA/notarecord']) {
      expect(typeOf(() => iterators.resume(bad, 'tbl1'))).toBe('INVALID_OFFSET_VALUE');
    }
  });

  it('forgets the least recently used iterator past the cap', () => {
    const { iterators } = store(60_000, 2);
    const first = iterators.start('tbl1', ids, 1);
    iterators.start('tbl1', ids, 1);
    iterators.start('tbl1', ids, 1);
    expect(typeOf(() => iterators.resume(first, 'tbl1'))).toBe('LIST_RECORDS_ITERATOR_NOT_AVAILABLE');
  });
});
