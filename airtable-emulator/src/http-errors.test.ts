import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectBareNotFound,
  expectError,
  json,
  PRODUCT_ROADMAP_BASE_ID,
  SALES_CRM_BASE_ID,
  send,
} from './http-test-helpers.ts';
import { startTestEmulator, type TestEmulator } from './test-support.ts';

// Every error the emulator sends over /v0, with Airtable's status and body shape
// (shared/reference/airtable-web-api.md §2 "Error envelope"). Raw HTTP, no client.

const B = SALES_CRM_BASE_ID;
const DEALS = `/v0/${B}/Deals`;
const MISSING_RECORD = 'recAAAAAAAAAAAAAA';

let t: TestEmulator;
let dealId: string;

beforeAll(async () => {
  t = await startTestEmulator();
  const { records } = await json<{ records: { id: string }[] }>(await t.api(`${DEALS}?pageSize=1`));
  dealId = records[0]?.id as string;
});
afterAll(() => t.close());

describe('addressing', () => {
  it('an unknown base is the bare {"error":"NOT_FOUND"}', async () => {
    await expectBareNotFound(await t.api('/v0/appAAAAAAAAAAAAAA/Deals'));
    await expectBareNotFound(await t.api('/v0/meta/bases/appAAAAAAAAAAAAAA/tables'));
  });

  it('an unknown base wins over an unknown table', async () => {
    await expectBareNotFound(await t.api('/v0/appAAAAAAAAAAAAAA/No%20Such%20Table'));
  });

  it.each([
    ['a path outside /v0', '/nothing'],
    ['an unknown meta route', '/v0/meta/nothing'],
    ['too many segments', `${DEALS}/${MISSING_RECORD}/comments/comX/extra`],
    ['a segment that is not valid percent-encoding', '/v0/%E0%A4%A/Deals'],
  ])('%s is the bare NOT_FOUND', async (_label, path) => {
    await expectBareNotFound(await t.api(path));
  });

  it('a method the route does not serve is the bare NOT_FOUND', async () => {
    await expectBareNotFound(await t.api('/v0/meta/bases', { method: 'DELETE' }));
  });

  it('an unknown table is 403 INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND, so existence does not leak', async () => {
    await expectError(
      await t.api(`/v0/${B}/No%20Such%20Table`),
      403,
      'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND',
    );
    await expectError(
      await t.api(`/v0/${B}/No%20Such%20Table`, send('POST', { fields: {} })),
      403,
      'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND',
    );
    // A table of the other base is just as unknown here.
    await expectError(
      await t.api(`/v0/${PRODUCT_ROADMAP_BASE_ID}/Deals`),
      403,
      'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND',
    );
  });

  it('an unknown record is 404 MODEL_ID_NOT_FOUND for read and delete', async () => {
    await expectError(await t.api(`${DEALS}/${MISSING_RECORD}`), 404, 'MODEL_ID_NOT_FOUND');
    await expectError(
      await t.api(`${DEALS}/${MISSING_RECORD}`, { method: 'DELETE' }),
      404,
      'MODEL_ID_NOT_FOUND',
    );
  });
});

describe('authentication', () => {
  it.each([
    ['no Authorization header', undefined],
    ['an unknown token', 'Bearer not-a-known-token'],
    ['a Basic scheme', 'Basic dGVzdDp0ZXN0'],
    ['a Bearer without token', 'Bearer '],
  ])('%s is 401 AUTHENTICATION_REQUIRED', async (_label, authorization) => {
    const res = await fetch(`${t.url}${DEALS}`, {
      headers: authorization === undefined ? {} : { authorization },
    });
    await expectError(res, 401, 'AUTHENTICATION_REQUIRED');
  });

  it('authentication is checked before the base is looked up', async () => {
    await expectError(await fetch(`${t.url}/v0/appAAAAAAAAAAAAAA/Deals`), 401, 'AUTHENTICATION_REQUIRED');
  });
});

describe('422 validation errors', () => {
  const cases: [string, () => [string, RequestInit?], string][] = [
    [
      'an unknown field in a write',
      () => [DEALS, send('POST', { fields: { 'No Such Field': 'x' } })],
      'UNKNOWN_FIELD_NAME',
    ],
    ['an unknown field in fields[]', () => [`${DEALS}?fields[]=No%20Such%20Field`], 'UNKNOWN_FIELD_NAME'],
    ['an unknown sort field', () => [`${DEALS}?sort[0][field]=No%20Such%20Field`], 'UNKNOWN_FIELD_NAME'],
    [
      'a string into a number field',
      () => [DEALS, send('POST', { fields: { Amount: '12' } })],
      'INVALID_VALUE_FOR_COLUMN',
    ],
    [
      'a write to a formula field',
      () => [DEALS, send('POST', { fields: { 'Is Big': 'Big' } })],
      'INVALID_VALUE_FOR_COLUMN',
    ],
    [
      'an unknown select option',
      () => [DEALS, send('POST', { fields: { Stage: 'Abandoned' } })],
      'INVALID_MULTIPLE_CHOICE_OPTIONS',
    ],
    [
      '11 records',
      () => [DEALS, send('POST', { records: Array.from({ length: 11 }, () => ({ fields: {} })) })],
      'INVALID_RECORDS',
    ],
    ['an empty records array', () => [DEALS, send('POST', { records: [] })], 'INVALID_RECORDS'],
    ['a body without fields', () => [DEALS, send('POST', {})], 'INVALID_REQUEST_MISSING_FIELDS'],
    [
      'an unknown id in a batch update',
      () => [DEALS, send('PATCH', { records: [{ id: MISSING_RECORD, fields: {} }] })],
      'ROW_DOES_NOT_EXIST',
    ],
    [
      'an unknown field in a formula',
      () => [`${DEALS}?filterByFormula=${encodeURIComponent('{Nope} = 1')}`],
      'INVALID_FILTER_BY_FORMULA',
    ],
    [
      'a formula syntax error',
      () => [`${DEALS}?filterByFormula=${encodeURIComponent('AND(1,')}`],
      'INVALID_FILTER_BY_FORMULA',
    ],
    ['an unknown view', () => [`${DEALS}?view=No%20Such%20View`], 'VIEW_NAME_NOT_FOUND'],
    ['a malformed offset', () => [`${DEALS}?offset=garbage`], 'INVALID_OFFSET_VALUE'],
    ['pageSize 101', () => [`${DEALS}?pageSize=101`], 'INVALID_PAGE_SIZE'],
    ['pageSize 0', () => [`${DEALS}?pageSize=0`], 'INVALID_PAGE_SIZE'],
    ['pageSize abc', () => [`${DEALS}?pageSize=abc`], 'INVALID_PAGE_SIZE'],
    [
      'pageSize 101 in a listRecords body',
      () => [`${DEALS}/listRecords`, send('POST', { pageSize: 101 })],
      'INVALID_PAGE_SIZE',
    ],
    ['a negative maxRecords', () => [`${DEALS}?maxRecords=-1`], 'INVALID_MAX_RECORDS'],
    [
      'a bad sort direction',
      () => [`${DEALS}?sort[0][field]=Amount&sort[0][direction]=up`],
      'INVALID_SORT_PARAMETER',
    ],
    [
      'cellFormat=string without timeZone',
      () => [`${DEALS}?cellFormat=string&userLocale=en-us`],
      'INVALID_REQUEST_UNKNOWN',
    ],
    [
      'cellFormat=string without userLocale',
      () => [`${DEALS}?cellFormat=string&timeZone=UTC`],
      'INVALID_REQUEST_UNKNOWN',
    ],
    [
      'cellFormat=string on one record without timeZone',
      () => [`${DEALS}/${dealId}?cellFormat=string`],
      'INVALID_REQUEST_UNKNOWN',
    ],
    [
      'timeZone in a listRecords body rather than the query',
      () => [
        `${DEALS}/listRecords`,
        send('POST', { cellFormat: 'string', timeZone: 'UTC', userLocale: 'en-us' }),
      ],
      'INVALID_REQUEST_UNKNOWN',
    ],
    [
      'an unknown listRecords body key',
      () => [`${DEALS}/listRecords`, send('POST', { pagesize: 5 })],
      'INVALID_REQUEST_UNKNOWN',
    ],
  ];

  it.each(cases)('%s', async (_label, request, type) => {
    const [path, init] = request();
    await expectError(await t.api(path, init), 422, type);
  });
});

describe('list iterators', () => {
  it('an offset stops working after POST /__emulator/iterators/expire', async () => {
    const first = await json<{ offset: string }>(await t.api(`${DEALS}?pageSize=10`));
    expect(first.offset).toMatch(/^itr[A-Za-z0-9]{14}\/rec[A-Za-z0-9]{14}$/);
    await json(await t.api(`${DEALS}?pageSize=10&offset=${encodeURIComponent(first.offset)}`));

    const expired = await json<{ expired: number }>(await t.admin('/iterators/expire', { method: 'POST' }));
    expect(expired.expired).toBeGreaterThanOrEqual(1);

    const res = await t.api(`${DEALS}?pageSize=10&offset=${encodeURIComponent(first.offset)}`);
    await expectError(res, 422, 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE');
  });

  it('LIST_RECORDS_ITERATOR_NOT_AVAILABLE carries no message, as Airtable sends it', async () => {
    const first = await json<{ offset: string }>(await t.api(`${DEALS}?pageSize=10`));
    await t.admin('/iterators/expire', { method: 'POST' });
    const res = await t.api(`${DEALS}?offset=${encodeURIComponent(first.offset)}`);
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ error: { type: 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE' } });
  });

  it('an offset whose record is not in its iterator is INVALID_OFFSET_VALUE', async () => {
    const first = await json<{ offset: string }>(await t.api(`${DEALS}?pageSize=10`));
    const forged = `${first.offset.split('/')[0]}/${MISSING_RECORD}`;
    await expectError(await t.api(`${DEALS}?offset=${forged}`), 422, 'INVALID_OFFSET_VALUE');
  });

  it('an offset expires once the iterator TTL passes without use (injected clock)', async () => {
    let clock = Date.parse('2026-01-05T09:00:00.000Z');
    const timed = await startTestEmulator({ now: () => new Date(clock), iteratorTtlMs: 60_000 });
    try {
      const first = await json<{ offset: string }>(await timed.api(`${DEALS}?pageSize=10`));
      clock += 59_000;
      const second = await json<{ offset: string }>(
        await timed.api(`${DEALS}?pageSize=10&offset=${encodeURIComponent(first.offset)}`),
      );
      // Using the iterator kept it alive: 59 s after that use it still works.
      clock += 59_000;
      await json(await timed.api(`${DEALS}?pageSize=10&offset=${encodeURIComponent(second.offset)}`));
      clock += 60_001;
      const res = await timed.api(`${DEALS}?pageSize=10&offset=${encodeURIComponent(second.offset)}`);
      await expectError(res, 422, 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE');
    } finally {
      await timed.close();
    }
  });
});

describe('size limits', () => {
  const path = `${DEALS}?pageSize=1&pad=`;

  it('a URL of exactly 16,000 characters is served', async () => {
    const res = await t.api(path + 'x'.repeat(16_000 - path.length));
    expect(res.status).toBe(200);
  });

  it('a URL of 16,001 characters is 414', async () => {
    await expectError(await t.api(path + 'x'.repeat(16_001 - path.length)), 414, 'URL_TOO_LONG');
  });

  it('the URL limit applies to listRecords too, but its body carries long formulas', async () => {
    const formula = `OR(${Array.from({ length: 900 }, (_, i) => `{Deal Name} = 'deal number ${i}'`).join(', ')})`;
    expect(formula.length).toBeGreaterThan(16_000);
    await expectError(
      await t.api(`${DEALS}?filterByFormula=${encodeURIComponent(formula)}`),
      414,
      'URL_TOO_LONG',
    );
    const res = await json<{ records: unknown[] }>(
      await t.api(`${DEALS}/listRecords`, send('POST', { filterByFormula: formula })),
    );
    expect(res.records).toEqual([]);
  });

  it('a body over 5 MiB is 413 REQUEST_TOO_LARGE', async () => {
    const body = JSON.stringify({ fields: { 'Deal Name': 'x'.repeat(5 * 1024 * 1024) } });
    await expectError(await t.api(DEALS, { method: 'POST', body }), 413, 'REQUEST_TOO_LARGE');
  });
});
