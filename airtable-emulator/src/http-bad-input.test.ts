import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectError, exportText, json, SALES_CRM_BASE_ID, send } from './http-test-helpers.ts';
import { startTestEmulator, type TestEmulator } from './test-support.ts';

// Hostile and careless input. Whatever arrives, the emulator answers in Airtable's shape,
// keeps serving, and the data is byte-for-byte what it was (compared by full export).

const DEALS = `/v0/${SALES_CRM_BASE_ID}/Deals`;

let t: TestEmulator;
let before: string;
let dealIds: string[];

beforeAll(async () => {
  t = await startTestEmulator();
  const { records } = await json<{ records: { id: string }[] }>(await t.api(`${DEALS}?pageSize=10`));
  dealIds = records.map((r) => r.id);
  expect(dealIds).toHaveLength(10);
});
afterAll(() => t.close());

beforeEach(async () => {
  before = await exportText(t);
});

/** The emulator still serves a plain read, and nothing was written. */
async function expectUnharmed(): Promise<void> {
  const res = await t.api(`${DEALS}?pageSize=1`);
  expect(res.status).toBe(200);
  expect(await exportText(t)).toBe(before);
}

const raw = (method: string, body: string): RequestInit => ({
  method,
  body,
  headers: { 'content-type': 'application/json' },
});

const tenDeals = (seventh: Record<string, unknown>) =>
  Array.from({ length: 10 }, (_, i) => ({ fields: i === 6 ? seventh : { 'Deal Name': `Batch deal ${i}` } }));

/** Deterministic pseudo-random text (mulberry32), so a failure can be replayed. */
function randomText(seed: number, length: number): string {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let r = Math.imul(a ^ (a >>> 15), a | 1);
    r ^= r + Math.imul(r ^ (r >>> 7), r | 61);
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length }, () => String.fromCharCode(Math.floor(next() * 256))).join('');
}

describe('malformed bodies', () => {
  it.each([
    ['truncated JSON', '{"fields":'],
    ['a trailing comma', '{"fields":{"Deal Name":"x",}}'],
    ['single quotes', "{'fields':{}}"],
    ['not JSON at all', 'Deal Name=x'],
    ['a bare NaN', '{"fields":{"Amount":NaN}}'],
  ])('%s is 400 and writes nothing', async (_label, body) => {
    await expectError(await t.api(DEALS, raw('POST', body)), 400, 'INVALID_REQUEST_BODY');
    await expectError(await t.api(DEALS, raw('PATCH', body)), 400, 'INVALID_REQUEST_BODY');
    await expectUnharmed();
  });

  it('malformed JSON on listRecords is 400 too', async () => {
    await expectError(
      await t.api(`${DEALS}/listRecords`, raw('POST', '{"pageSize":')),
      400,
      'INVALID_REQUEST_BODY',
    );
    await expectUnharmed();
  });
});

describe('wrong JSON types', () => {
  it.each([
    ['records as an object', 'POST', { records: { fields: { 'Deal Name': 'x' } } }, 'INVALID_RECORDS'],
    ['records as a string', 'POST', { records: 'rec1' }, 'INVALID_RECORDS'],
    ['fields as an array', 'POST', { records: [{ fields: ['Deal Name', 'x'] }] }, 'INVALID_RECORDS'],
    ['fields as a string', 'POST', { fields: 'Deal Name' }, 'INVALID_RECORDS'],
    ['a record that is not an object', 'PATCH', { records: ['rec1'] }, 'INVALID_RECORDS'],
    ['an id that is a number', 'PATCH', { records: [{ id: 42, fields: {} }] }, 'INVALID_RECORDS'],
    ['a body that is an array', 'POST', [{ fields: {} }], 'INVALID_REQUEST_MISSING_FIELDS'],
    ['a body that is a string', 'POST', 'fields', 'INVALID_REQUEST_MISSING_FIELDS'],
    ['a body that is null', 'POST', null, 'INVALID_REQUEST_MISSING_FIELDS'],
    [
      'a number as a string without typecast',
      'POST',
      { fields: { Amount: '1200' } },
      'INVALID_VALUE_FOR_COLUMN',
    ],
    [
      'a boolean into a text field without typecast',
      'POST',
      { fields: { 'Deal Name': true } },
      'INVALID_VALUE_FOR_COLUMN',
    ],
    [
      'an object into a number field',
      'POST',
      { fields: { Amount: { value: 1 } } },
      'INVALID_VALUE_FOR_COLUMN',
    ],
    [
      'a link that is not a record id',
      'POST',
      { fields: { Company: ['Contoso'] } },
      'INVALID_VALUE_FOR_COLUMN',
    ],
    [
      'a date that is not a date',
      'POST',
      { fields: { 'Close Date': 'next Tuesday' } },
      'INVALID_VALUE_FOR_COLUMN',
    ],
    ['typecast as a string', 'POST', { fields: { Amount: 1 }, typecast: 'yes' }, 'INVALID_REQUEST_UNKNOWN'],
  ])('%s is refused and writes nothing', async (_label, method, body, type) => {
    await expectError(await t.api(DEALS, send(method, body)), 422, type);
    await expectUnharmed();
  });

  it('listRecords refuses a body that is not an object', async () => {
    await expectError(
      await t.api(`${DEALS}/listRecords`, send('POST', [1, 2])),
      422,
      'INVALID_REQUEST_UNKNOWN',
    );
    await expectUnharmed();
  });
});

describe('batches are all or nothing', () => {
  it('11 records are refused for create, update and delete', async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => ({ fields: { 'Deal Name': `Eleven ${i}` } }));
    await expectError(await t.api(DEALS, send('POST', { records: eleven })), 422, 'INVALID_RECORDS');
    const ids = [...dealIds, dealIds[0] as string];
    const updates = ids.map((id) => ({ id, fields: { 'Deal Name': 'x' } }));
    await expectError(await t.api(DEALS, send('PATCH', { records: updates })), 422, 'INVALID_RECORDS');
    const query = ids.map((id) => `records[]=${id}`).join('&');
    await expectError(await t.api(`${DEALS}?${query}`, { method: 'DELETE' }), 422, 'INVALID_RECORDS');
    await expectUnharmed();
  });

  it('an unknown field in record 7 of 10 writes none of the 10', async () => {
    const res = await t.api(DEALS, send('POST', { records: tenDeals({ 'No Such Field': 'x' }) }));
    await expectError(res, 422, 'UNKNOWN_FIELD_NAME');
    await expectUnharmed();
  });

  it('a bad value in record 7 of 10 writes none, not even select options typecast would add', async () => {
    const records = tenDeals({ Amount: 'not a number' });
    records[0] = { fields: { 'Deal Name': 'With a new stage', Stage: 'Brand New Stage' } };
    const res = await t.api(DEALS, send('POST', { records, typecast: true }));
    await expectError(res, 422, 'INVALID_VALUE_FOR_COLUMN');
    await expectUnharmed();
  });

  it('an unknown id in update 5 of 10 changes none of the others', async () => {
    const records = dealIds.map((id, i) => ({
      id: i === 4 ? 'recAAAAAAAAAAAAAA' : id,
      fields: { 'Deal Name': 'Renamed' },
    }));
    await expectError(await t.api(DEALS, send('PATCH', { records })), 422, 'ROW_DOES_NOT_EXIST');
    await expectError(await t.api(DEALS, send('PUT', { records })), 422, 'ROW_DOES_NOT_EXIST');
    await expectUnharmed();
  });

  it('an unknown id among deletes deletes none', async () => {
    const query = [dealIds[0], 'recAAAAAAAAAAAAAA', dealIds[1]].map((id) => `records[]=${id}`).join('&');
    await expectError(await t.api(`${DEALS}?${query}`, { method: 'DELETE' }), 404, 'MODEL_ID_NOT_FOUND');
    await expectUnharmed();
  });

  it('a batch update naming one record twice is refused', async () => {
    const id = dealIds[0] as string;
    const records = [
      { id, fields: { 'Deal Name': 'First' } },
      { id, fields: { 'Deal Name': 'Second' } },
    ];
    await expectError(await t.api(DEALS, send('PATCH', { records })), 422, 'INVALID_RECORDS');
    await expectError(await t.api(DEALS, send('PUT', { records })), 422, 'INVALID_RECORDS');
    await expectUnharmed();
  });
});

describe('huge bodies', () => {
  it('a body over 5 MiB with a Content-Length is 413', async () => {
    const body = JSON.stringify({ fields: { 'Deal Name': 'x'.repeat(5 * 1024 * 1024 + 1) } });
    await expectError(await t.api(DEALS, { method: 'POST', body }), 413, 'REQUEST_TOO_LARGE');
    await expectUnharmed();
  });

  it('a chunked body (no Content-Length) that grows past 5 MiB is 413', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(1024 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('{"fields":{"Deal Name":"'));
        if (sent++ < 8) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await t.api(DEALS, { method: 'POST', body, duplex: 'half' } as RequestInit);
    await expectError(res, 413, 'REQUEST_TOO_LARGE');
    await expectUnharmed();
  });
});

describe('garbage formulas', () => {
  const listWith = (filterByFormula: string) =>
    t.api(`${DEALS}/listRecords`, send('POST', { filterByFormula }));

  it.each([
    ['10k nested parentheses', `${'('.repeat(10_000)}1${')'.repeat(10_000)}`],
    ['10k nested function calls', `${'NOT('.repeat(10_000)}1${')'.repeat(10_000)}`],
    ['an unterminated single-quoted string', "{Deal Name} = 'abc"],
    ['an unterminated double-quoted string', '{Deal Name} = "abc'],
    ['an unterminated field reference', '{Deal Name = 1'],
    ['unbalanced parentheses', 'AND(1, (2)'],
    ['a dangling operator', '{Amount} >'],
    ['an unknown function', 'EXPLODE({Amount})'],
    ['a lone backslash', '\\'],
    ['NUL bytes', '\u0000\u0000'],
  ])('%s is 422 INVALID_FILTER_BY_FORMULA', async (_label, formula) => {
    await expectError(await listWith(formula), 422, 'INVALID_FILTER_BY_FORMULA');
    await expectUnharmed();
  });

  it('random bytes are either a valid formula or 422, never a crash', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const formula = randomText(seed, 1 + (seed % 7) * 40);
      const res = await listWith(formula);
      if (res.status === 200) await res.body?.cancel();
      else await expectError(res, 422, 'INVALID_FILTER_BY_FORMULA');
      const viaQuery = await t.api(`${DEALS}?pageSize=1&filterByFormula=${encodeURIComponent(formula)}`);
      expect([200, 422], `seed ${seed}`).toContain(viaQuery.status);
      await viaQuery.body?.cancel();
    }
    await expectUnharmed();
  });
});

describe('unknown names', () => {
  it.each(['No Such View', 'viwAAAAAAAAAAAAAA'])('view %j is VIEW_NAME_NOT_FOUND', async (view) => {
    await expectError(await t.api(`${DEALS}?view=${encodeURIComponent(view)}`), 422, 'VIEW_NAME_NOT_FOUND');
    await expectUnharmed();
  });
});
