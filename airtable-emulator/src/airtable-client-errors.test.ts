import { describe, expect, it } from 'vitest';
import { clientBase, useSalesCrmClient } from './airtable-client-kit.ts';
import { SALES_CRM_BASE_ID } from './seed/sample/index.ts';

// Failures as the official airtable.js client reports them: the client turns 401/403 into
// its own error names whatever the body says, and uses the body's `type` for 404/422.
// So both the status and the type the emulator sends matter. None of these tests may
// change the data: each failing write must leave the base as it was.

const t = useSalesCrmClient();
const deals = () => t.table('Deals');
const firstDealId = async () => (await deals().select({ maxRecords: 1 }).firstPage())[0]?.id as string;
const elevenDeals = () =>
  Array.from({ length: 11 }, (_, i) => ({ fields: { 'Deal Name': `Too many ${i}` } }));

describe('addressing errors', () => {
  it('an unknown table is 403, which the client reports as NOT_AUTHORIZED', async () => {
    expect.assertions(1);
    await expect(t.table('No Such Table').select().all()).rejects.toMatchObject({
      statusCode: 403,
      error: 'NOT_AUTHORIZED',
    });
  });

  it('an unknown base is 404 NOT_FOUND', async () => {
    expect.assertions(1);
    await expect(clientBase(t.emulator(), 'appAAAAAAAAAAAAAA')('Deals').select().all()).rejects.toMatchObject(
      {
        statusCode: 404,
        error: 'NOT_FOUND',
      },
    );
  });

  it('a bad token is 401 AUTHENTICATION_REQUIRED', async () => {
    expect.assertions(1);
    await expect(
      clientBase(t.emulator(), SALES_CRM_BASE_ID, 'not-a-valid-token')('Deals').find(await firstDealId()),
    ).rejects.toMatchObject({ statusCode: 401, error: 'AUTHENTICATION_REQUIRED' });
  });

  it('a missing record is 404 NOT_FOUND for find and destroy', async () => {
    expect.assertions(2);
    await expect(deals().find('recAAAAAAAAAAAAAA')).rejects.toMatchObject({
      statusCode: 404,
      error: 'NOT_FOUND',
    });
    await expect(deals().destroy('recAAAAAAAAAAAAAA')).rejects.toMatchObject({
      statusCode: 404,
      error: 'NOT_FOUND',
    });
  });

  it('a missing record in a batch update is 422 ROW_DOES_NOT_EXIST', async () => {
    expect.assertions(1);
    await expect(deals().update([{ id: 'recAAAAAAAAAAAAAA', fields: { Amount: 1 } }])).rejects.toMatchObject({
      statusCode: 422,
      error: 'ROW_DOES_NOT_EXIST',
    });
  });

  it('an unknown view is 422 VIEW_NAME_NOT_FOUND', async () => {
    expect.assertions(1);
    await expect(deals().select({ view: 'No such view' }).all()).rejects.toMatchObject({
      statusCode: 422,
      error: 'VIEW_NAME_NOT_FOUND',
    });
  });
});

describe('field and value errors', () => {
  it('an unknown field name is 422 UNKNOWN_FIELD_NAME, when writing and when selecting fields', async () => {
    expect.assertions(2);
    await expect(deals().create({ 'Deal Name': 'x', Nope: 1 })).rejects.toMatchObject({
      statusCode: 422,
      error: 'UNKNOWN_FIELD_NAME',
    });
    await expect(
      deals()
        .select({ fields: ['Deal Name', 'Nope'] })
        .all(),
    ).rejects.toMatchObject({ statusCode: 422, error: 'UNKNOWN_FIELD_NAME' });
  });

  it('a value of the wrong type is 422 INVALID_VALUE_FOR_COLUMN', async () => {
    expect.assertions(3);
    const id = await firstDealId();
    await expect(deals().update(id, { Amount: 'lots' })).rejects.toMatchObject({
      statusCode: 422,
      error: 'INVALID_VALUE_FOR_COLUMN',
    });
    await expect(deals().update(id, { 'Close Date': 'next Tuesday' })).rejects.toMatchObject({
      statusCode: 422,
      error: 'INVALID_VALUE_FOR_COLUMN',
    });
    await expect(deals().update(id, { Company: ['recAAAAAAAAAAAAAA'] })).rejects.toMatchObject({
      statusCode: 422,
    });
  });

  it('writing a computed field is 422 INVALID_VALUE_FOR_COLUMN', async () => {
    expect.assertions(2);
    await expect(deals().create({ 'Deal Name': 'x', 'Weighted Amount': 5 })).rejects.toMatchObject({
      statusCode: 422,
      error: 'INVALID_VALUE_FOR_COLUMN',
    });
    await expect(t.table('Companies').create({ Name: 'x', 'Company Number': 7 })).rejects.toMatchObject({
      statusCode: 422,
      error: 'INVALID_VALUE_FOR_COLUMN',
    });
  });

  it('a batch with one bad record writes nothing', async () => {
    expect.assertions(2);
    const before = (await deals().select().all()).length;
    await expect(
      deals().create([
        { fields: { 'Deal Name': 'Fine' } },
        { fields: { 'Deal Name': 'Bad', Amount: 'lots' } },
      ]),
    ).rejects.toMatchObject({ statusCode: 422, error: 'INVALID_VALUE_FOR_COLUMN' });
    expect((await deals().select().all()).length).toBe(before);
  });
});

describe('request shape errors', () => {
  it('11 records in one create, update or destroy is 422 INVALID_RECORDS', async () => {
    expect.assertions(3);
    const ids = (await deals().select({ maxRecords: 11 }).all()).map((r) => r.id);
    await expect(deals().create(elevenDeals())).rejects.toMatchObject({
      statusCode: 422,
      error: 'INVALID_RECORDS',
    });
    await expect(deals().update(ids.map((id) => ({ id, fields: { Amount: 1 } })))).rejects.toMatchObject({
      statusCode: 422,
      error: 'INVALID_RECORDS',
    });
    await expect(deals().destroy(ids)).rejects.toMatchObject({ statusCode: 422, error: 'INVALID_RECORDS' });
  });

  it('an invalid formula is 422 INVALID_FILTER_BY_FORMULA', async () => {
    expect.assertions(2);
    await expect(deals().select({ filterByFormula: '{Amount} > AND(' }).all()).rejects.toMatchObject({
      statusCode: 422,
      error: 'INVALID_FILTER_BY_FORMULA',
    });
    await expect(deals().select({ filterByFormula: '{No Such Field} = 1' }).all()).rejects.toMatchObject({
      statusCode: 422,
      error: 'INVALID_FILTER_BY_FORMULA',
    });
  });
});

describe('list iterators', () => {
  it('an offset that expired mid-paging fails the next page with 422 LIST_RECORDS_ITERATOR_NOT_AVAILABLE', async () => {
    expect.assertions(2);
    let pages = 0;
    const paging = deals()
      .select({ pageSize: 10 })
      .eachPage((_records, next) => {
        pages++;
        void t
          .emulator()
          .admin('/iterators/expire', { method: 'POST' })
          .then(() => next());
      });

    await expect(paging).rejects.toMatchObject({
      statusCode: 422,
      error: 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE',
    });
    expect(pages).toBe(1);
  });
});

describe('upstream failures', () => {
  it('a 429 reaches the caller as TOO_MANY_REQUESTS without a retry when noRetryIfRateLimited is set', async () => {
    expect.assertions(2);
    await t.emulator().admin('/stats', { method: 'DELETE' });
    await t.emulator().admin('/faults', { method: 'PUT', body: { force429: 1 } });

    await expect(deals().select({ maxRecords: 1 }).all()).rejects.toMatchObject({
      statusCode: 429,
      error: 'TOO_MANY_REQUESTS',
    });
    const stats = (await (await t.emulator().admin('/stats')).json()) as {
      requests: number;
      rateLimited: number;
    };
    expect(stats).toMatchObject({ requests: 1, rateLimited: 1 });
  });

  it('a 503 reaches the caller as SERVICE_UNAVAILABLE', async () => {
    expect.assertions(1);
    const id = await firstDealId();
    await t.emulator().admin('/faults', { method: 'PUT', body: { errorRate: 1, errorStatus: 503 } });
    try {
      await expect(deals().find(id)).rejects.toMatchObject({
        statusCode: 503,
        error: 'SERVICE_UNAVAILABLE',
      });
    } finally {
      await t.emulator().admin('/faults', { method: 'DELETE' });
    }
  });
});
