import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, exportText, SALES_CRM_BASE_ID } from './http-test-helpers.ts';
import { startTestEmulator, type TestEmulator } from './test-support.ts';

const DEALS = `/v0/${SALES_CRM_BASE_ID}/Deals`;
const MISSING = 'recMissing0000000';
let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(async () => {
  await t.close();
});

const send = (method: string, body: unknown): RequestInit => ({ method, body: JSON.stringify(body) });

describe('writes addressed to one record', () => {
  it.each(['PATCH', 'PUT'])(
    '%s of a record that does not exist is 404 MODEL_ID_NOT_FOUND, like GET',
    async (method) => {
      await expectError(
        await t.api(`${DEALS}/${MISSING}`, send(method, { fields: {} })),
        404,
        'MODEL_ID_NOT_FOUND',
      );
    },
  );
});

describe('upsert', () => {
  it('refuses a record without an id that leaves a merge field out, and writes nothing', async () => {
    const before = await exportText(t);
    const records = [{ fields: { 'Deal Name': 'Merge me' } }, { fields: { Amount: 5 } }];
    const res = await t.api(
      DEALS,
      send('PATCH', { records, performUpsert: { fieldsToMergeOn: ['Deal Name'] } }),
    );
    await expectError(res, 422, 'INVALID_RECORDS');
    expect(await exportText(t)).toBe(before);
  });
});

describe('tokens limited to some bases', () => {
  it('get the same 403 for a base that does not exist as for one they cannot reach', async () => {
    const created = await t.admin('/tokens', {
      body: { token: 'one-base-token', bases: [SALES_CRM_BASE_ID] },
    });
    expect(created.status).toBe(200);
    const headers = { authorization: 'Bearer one-base-token' };
    const missing = await fetch(`${t.url}/v0/appDoesNotExist00/Deals`, { headers });
    const unreachable = await fetch(`${t.url}/v0/appnasRgpDkkrIM6c/Features`, { headers });
    await expectError(missing, 403, 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND');
    await expectError(unreachable, 403, 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND');
  });
});
