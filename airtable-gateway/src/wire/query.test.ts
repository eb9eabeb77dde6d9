import toQueryString from 'airtable/lib/object_to_query_param_string.js';
import { describe, expect, it } from 'vitest';
import { formatQuery, parseQuery } from './query.ts';

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

describe('query string formatting (as airtable.js sends it)', () => {
  const lists = [
    { pageSize: 100, maxRecords: 250, view: 'Grid view', offset: 'itrA/recB' },
    { fields: ['Name', 'Amount (€)'], filterByFormula: "AND({Index}=7, LEN('x y')>0)" },
    { sort: [{ field: 'Index', direction: 'desc' }, { field: 'Name' }], recordMetadata: ['commentCount'] },
    { cellFormat: 'string', timeZone: 'Europe/Paris', userLocale: 'fr', returnFieldsByFieldId: true },
    { records: ['recAAAAAAAAAAAAAA', 'recBBBBBBBBBBBBBB'] },
    {},
  ];

  it('is byte for byte what airtable.js builds from the same parameters', () => {
    for (const params of lists) expect(formatQuery(params)).toBe(toQueryString(params));
  });

  it('reads back as the parameters it was made from, in strings', () => {
    expect(q(formatQuery({ sort: [{ field: 'Index', direction: 'desc' }], fields: ['A', 'B'] }))).toEqual({
      sort: [{ field: 'Index', direction: 'desc' }],
      fields: ['A', 'B'],
    });
    expect(q(formatQuery({ pageSize: 5, view: 'Grid view' }))).toEqual({ pageSize: '5', view: 'Grid view' });
  });

  it('leaves unset parameters out instead of sending them empty', () => {
    expect(formatQuery({ view: undefined, offset: null, pageSize: 5 })).toBe('pageSize=5');
  });
});
