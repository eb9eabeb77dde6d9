import { describe, expect, it } from 'vitest';
import { listByPost } from './list-by-post.ts';

describe('moving a long records list to POST listRecords', () => {
  it('carries every parameter in the body with its JSON type', () => {
    const search =
      '?pageSize=50&maxRecords=120&fields%5B%5D=Name&fields%5B%5D=Amount&sort%5B0%5D%5Bfield%5D=Amount&sort%5B0%5D%5Bdirection%5D=desc&filterByFormula=%7BA%7D%3D1&returnFieldsByFieldId=1&view=Grid&offset=itrA%2FrecB&recordMetadata%5B%5D=commentCount';
    const moved = listByPost('/v0/appX/Deals', search);
    expect(moved.path).toBe('/v0/appX/Deals/listRecords');
    expect(moved.search).toBe('');
    expect(JSON.parse(moved.body)).toEqual({
      pageSize: 50,
      maxRecords: 120,
      fields: ['Name', 'Amount'],
      sort: [{ field: 'Amount', direction: 'desc' }],
      filterByFormula: '{A}=1',
      returnFieldsByFieldId: true,
      view: 'Grid',
      offset: 'itrA/recB',
      recordMetadata: ['commentCount'],
    });
  });

  it('keeps timeZone and userLocale in the query string, as Airtable requires', () => {
    const moved = listByPost('/v0/appX/Deals', '?cellFormat=string&timeZone=Europe%2FParis&userLocale=fr');
    expect(moved.search).toBe('?timeZone=Europe%2FParis&userLocale=fr');
    expect(JSON.parse(moved.body)).toEqual({ cellFormat: 'string' });
  });

  it('turns a single fields value into a list', () => {
    expect(JSON.parse(listByPost('/v0/appX/T', '?fields=Name').body)).toEqual({ fields: ['Name'] });
  });
});
