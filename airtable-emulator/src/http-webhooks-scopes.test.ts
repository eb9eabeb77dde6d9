import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bearer, expectError, json, send } from './http-test-helpers.ts';
import { createHook, HB, hookBody, hooksFixture, listHooks, resetToHooksBase } from './http-webhooks-kit.ts';
import { startTestEmulator, type TestEmulator } from './test-support.ts';

// Who may use the webhooks API: `webhook:manage` for every call; creating a webhook and reading its
// payloads also need the read scope of what it watches (data.records:read for tableData,
// schema.bases:read for tableFields and tableMetadata). A refusal is Airtable's 403
// INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND, as for any scope. The calls count toward the base's
// 5 requests a second like every other.

const hooks = `/v0/bases/${HB}/webhooks`;
const DATA = { filters: { dataTypes: ['tableData'] } };
const SCHEMA = { filters: { dataTypes: ['tableFields', 'tableMetadata'] } };

let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.close());
beforeEach(() => resetToHooksBase(t));

async function tokenWith(scopes: string[], bases: string[] | 'all' = 'all'): Promise<string> {
  return (await json<{ token: string }>(await t.admin('/tokens', { body: { scopes, bases } }))).token;
}

const forbidden = (res: Response) => expectError(res, 403, 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND');

describe('without webhook:manage', () => {
  it('every webhooks call is refused, whatever other scopes the token has', async () => {
    const { id } = await createHook(t, DATA);
    const token = await tokenWith(['data.records:read', 'data.records:write', 'schema.bases:read']);
    const as = (init: RequestInit = {}) => ({ ...init, ...bearer(token) });
    await forbidden(await t.api(hooks, as()));
    await forbidden(await t.api(hooks, as(send('POST', hookBody(DATA)))));
    await forbidden(await t.api(`${hooks}/${id}`, as({ method: 'DELETE' })));
    await forbidden(await t.api(`${hooks}/${id}/refresh`, as({ method: 'POST' })));
    await forbidden(await t.api(`${hooks}/${id}/enableNotifications`, as(send('POST', { enable: false }))));
    await forbidden(await t.api(`${hooks}/${id}/payloads`, as()));
    expect((await listHooks(t)).map((h) => h.id)).toEqual([id]);
  });
});

describe('with webhook:manage alone', () => {
  it('lists, refreshes, toggles and deletes webhooks', async () => {
    const token = await tokenWith(['webhook:manage']);
    const { id } = await createHook(t, DATA);
    const as = (init: RequestInit = {}) => ({ ...init, ...bearer(token) });
    expect((await json<{ webhooks: unknown[] }>(await t.api(hooks, as()))).webhooks).toHaveLength(1);
    await json(await t.api(`${hooks}/${id}/refresh`, as({ method: 'POST' })));
    await json(await t.api(`${hooks}/${id}/enableNotifications`, as(send('POST', { enable: false }))));
    await json(await t.api(`${hooks}/${id}`, as({ method: 'DELETE' })));
  });

  it('cannot create or read payloads of a tableData webhook without data.records:read', async () => {
    const token = await tokenWith(['webhook:manage', 'schema.bases:read']);
    await forbidden(await t.api(hooks, { ...send('POST', hookBody(DATA)), ...bearer(token) }));
    const { id } = await createHook(t, DATA);
    await forbidden(await t.api(`${hooks}/${id}/payloads`, bearer(token)));
    const reader = await tokenWith(['webhook:manage', 'data.records:read']);
    await json(await t.api(hooks, { ...send('POST', hookBody(DATA)), ...bearer(reader) }));
    await json(await t.api(`${hooks}/${id}/payloads`, bearer(reader)));
  });

  it('cannot create or read payloads of a schema webhook without schema.bases:read', async () => {
    const token = await tokenWith(['webhook:manage', 'data.records:read']);
    await forbidden(await t.api(hooks, { ...send('POST', hookBody(SCHEMA)), ...bearer(token) }));
    const { id } = await createHook(t, SCHEMA);
    await forbidden(await t.api(`${hooks}/${id}/payloads`, bearer(token)));
    const reader = await tokenWith(['webhook:manage', 'schema.bases:read']);
    await json(await t.api(hooks, { ...send('POST', hookBody(SCHEMA)), ...bearer(reader) }));
    await json(await t.api(`${hooks}/${id}/payloads`, bearer(reader)));
  });
});

describe('a token limited to other bases', () => {
  it('reaches none of this base’s webhooks', async () => {
    const { id } = await createHook(t, DATA);
    const token = await tokenWith(['webhook:manage', 'data.records:read'], ['appWebhookEdits01']);
    await forbidden(await t.api(hooks, bearer(token)));
    await forbidden(await t.api(`${hooks}/${id}/payloads`, bearer(token)));
    await forbidden(await t.api(hooks, { ...send('POST', hookBody(DATA)), ...bearer(token) }));
  });
});

describe('rate limits', () => {
  it('count webhooks calls toward the 5 requests a second of their base', async () => {
    const limited = await startTestEmulator({ seed: 'empty', rateLimits: { enabled: true } });
    try {
      await json(await limited.admin('/reset', { body: { seed: hooksFixture() } }));
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push((await limited.api(hooks)).status);
      expect(answers).toEqual([200, 200, 200, 200, 200, 429]);
      await expectError(await limited.api(`/v0/${HB}/Tasks`), 429, 'RATE_LIMIT_REACHED');
    } finally {
      await limited.close();
    }
  });
});
