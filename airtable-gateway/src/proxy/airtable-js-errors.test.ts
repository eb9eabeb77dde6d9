import type Airtable from 'airtable';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, ITEMS, SEEDED, TOKEN } from '../client/test-kit.ts';
import { airtableBase, type Fields, type ProxyRig, startProxyRig } from './airtable-js-kit.ts';

// Conformance: Airtable's errors as airtable.js reports them through the gateway's proxy,
// the same as straight from the emulator (which answers as Airtable does). airtable.js names
// 401, 403 and 404 itself and keeps Airtable's own type for a 422, so both status and type
// must come through the proxy unchanged. None of these calls may change the data.

let rig: ProxyRig;
let firstId = '';
beforeAll(async () => {
  rig = await startProxyRig();
  firstId = (await rig.gateway.listPage(BASE, SEEDED, { pageSize: 1 })).records[0]?.id as string;
});
afterAll(async () => {
  await rig.close();
});

type Call = (base: Airtable.Base) => Promise<unknown>;
const table = (base: Airtable.Base, name: string) => base<Fields>(name);

/** What airtable.js rejects with, through the proxy and straight from the emulator. */
async function bothWays(call: Call, options: { apiKey?: string; baseId?: string } = {}) {
  const reason = async (url: string) => {
    try {
      await call(airtableBase(url, options));
    } catch (error) {
      const {
        statusCode,
        error: type,
        message,
      } = error as { statusCode: number; error: string; message: string };
      return { statusCode, error: type, message };
    }
    throw new Error('expected a rejection');
  };
  return { proxied: await reason(rig.proxy.url), direct: await reason(rig.emulator.url) };
}

describe.each<[string, Call, { statusCode: number; error: string }, { apiKey?: string; baseId?: string }?]>([
  [
    'a missing record (find)',
    (b) => table(b, SEEDED).find('recAAAAAAAAAAAAAA'),
    { statusCode: 404, error: 'NOT_FOUND' },
  ],
  [
    'a missing record (destroy)',
    (b) => table(b, ITEMS).destroy('recAAAAAAAAAAAAAA'),
    { statusCode: 404, error: 'NOT_FOUND' },
  ],
  [
    'an unknown base',
    (b) => table(b, SEEDED).select().all(),
    { statusCode: 404, error: 'NOT_FOUND' },
    { baseId: 'appAAAAAAAAAAAAAA' },
  ],
  [
    'an unknown table',
    (b) => table(b, 'No such table').select().all(),
    { statusCode: 403, error: 'NOT_AUTHORIZED' },
  ],
  [
    'a bad token',
    (b) => table(b, SEEDED).select().firstPage(),
    { statusCode: 401, error: 'AUTHENTICATION_REQUIRED' },
    { apiKey: 'not-a-valid-token-0123456789' },
  ],
  [
    'a value of the wrong type, in a batch with good ones',
    (b) => table(b, ITEMS).create([{ fields: { Index: 1 } }, { fields: { Index: 'lots' } }]),
    { statusCode: 422, error: 'INVALID_VALUE_FOR_COLUMN' },
  ],
  [
    'an unknown field',
    (b) => table(b, ITEMS).create({ Nope: 1 }),
    { statusCode: 422, error: 'UNKNOWN_FIELD_NAME' },
  ],
  [
    'an invalid formula',
    (b) => table(b, SEEDED).select({ filterByFormula: '{Index} > AND(' }).all(),
    { statusCode: 422, error: 'INVALID_FILTER_BY_FORMULA' },
  ],
  [
    'an update of a record that does not exist',
    (b) => table(b, ITEMS).update([{ id: 'recAAAAAAAAAAAAAA', fields: { Index: 1 } }]),
    { statusCode: 422, error: 'ROW_DOES_NOT_EXIST' },
  ],
  [
    'an unknown view',
    (b) => table(b, SEEDED).select({ view: 'No such view' }).all(),
    { statusCode: 422, error: 'VIEW_NAME_NOT_FOUND' },
  ],
])('%s', (_label, call, expected, options) => {
  it(`is ${expected.statusCode} ${expected.error}, through the proxy as straight from Airtable`, async () => {
    const { proxied, direct } = await bothWays(call, options);
    expect(proxied).toMatchObject(expected);
    expect(proxied).toEqual(direct);
  });
});

describe('what the errors leave behind', () => {
  it('writes nothing and carries no token', async () => {
    const { proxied } = await bothWays((b) => table(b, ITEMS).create([{ fields: { Index: 'lots' } }]));
    expect(proxied.message).not.toContain(TOKEN);
    expect(await rig.gateway.listRecords(BASE, ITEMS)).toEqual([]);
    // The record the specs above looked up is still there.
    expect((await rig.gateway.getRecord(BASE, SEEDED, firstId)).id).toBe(firstId);
  });
});
