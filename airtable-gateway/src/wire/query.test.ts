import { describe, expect, it } from 'vitest';
import { parseQuery } from './query.ts';

const q = (s: string) => parseQuery(new URLSearchParams(s));

describe('query string parsing (airtable.js and pyairtable encodings)', () => {
  it('reads fields[] repeats as an array', () => {
    expect(q('fields%5B%5D=Name&fields%5B%5D=Amount')).toEqual({ fields: ['Name', 'Amount'] });
  });

  it('reads indexed sort objects in index order', () => {
    expect(q('sort[1][field]=B&sort[0][field]=A&sort[0][direction]=desc')).toEqual({
      sort: [{ field: 'A', direction: 'desc' }, { field: 'B' }],
    });
  });

  it('reads plain repeats as an array and single values as strings', () => {
    expect(q('records=rec1&records=rec2&view=Grid+view')).toEqual({
      records: ['rec1', 'rec2'],
      view: 'Grid view',
    });
  });

  it('keeps keys with stray brackets literally instead of guessing', () => {
    expect(q('a]b=1&c[=2')).toEqual({ 'a]b': '1', 'c[': '2' });
  });
});
