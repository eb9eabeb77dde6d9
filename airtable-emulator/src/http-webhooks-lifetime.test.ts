import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectError, json } from './http-test-helpers.ts';
import {
  allPayloads,
  createHook,
  HB,
  hooksFixture,
  listedHook,
  listHooks,
  patchTask,
  payloadPage,
  resetToHooksBase,
  TASK_2,
} from './http-webhooks-kit.ts';
import { startTestEmulator, type TestEmulator } from './test-support.ts';

// A webhook's life, on the emulator's injected clock: 7 days from creation, refresh or a payload
// listing; then disabled (no payloads, no pings) but readable, past payloads too, for 7 more
// days; payloads kept a week (their age counted until the webhook expires). POST /__emulator/webhooks/expire ends webhooks at once, without moving the clock.

const DAY = 24 * 60 * 60_000;
const START = Date.parse('2026-05-01T09:00:00.000Z');
const DATA = { filters: { dataTypes: ['tableData'] } };

let t: TestEmulator;
let clock = START;

beforeAll(async () => {
  t = await startTestEmulator({ now: () => new Date(clock) });
});
afterAll(() => t.close());
beforeEach(async () => {
  clock = START;
  await resetToHooksBase(t);
});

const hookPath = (id: string) => `/v0/bases/${HB}/webhooks/${id}`;

describe('expiry', () => {
  it('comes 7 days after creation: the webhook is disabled and gathers no more payloads', async () => {
    const hook = await createHook(t, DATA);
    await patchTask(t, TASK_2, { Hours: 1 });
    clock = START + 7 * DAY;
    await patchTask(t, TASK_2, { Hours: 2 });
    const listed = await listedHook(t, hook.id);
    expect(listed).toMatchObject({
      isHookEnabled: false,
      expirationTime: hook.expirationTime,
      cursorForNextPayload: 2,
    });
    expect(await allPayloads(t, hook.id)).toHaveLength(1);
  });

  it('moves to 7 days from now when payloads are listed, as Airtable does', async () => {
    const hook = await createHook(t, DATA);
    clock += 5 * DAY;
    await payloadPage(t, hook.id);
    expect((await listedHook(t, hook.id)).expirationTime).toBe(new Date(clock + 7 * DAY).toISOString());
  });

  it('cannot be undone: refresh is 422 and listing payloads does not revive it, though they stay readable', async () => {
    const hook = await createHook(t, DATA);
    await patchTask(t, TASK_2, { Hours: 1 });
    clock += 8 * DAY;
    await expectError(
      await t.api(`${hookPath(hook.id)}/refresh`, { method: 'POST' }),
      422,
      'INVALID_REQUEST_UNKNOWN',
    );
    expect((await payloadPage(t, hook.id)).payloads).toHaveLength(1);
    expect(await listedHook(t, hook.id)).toMatchObject({
      isHookEnabled: false,
      expirationTime: hook.expirationTime,
    });
  });

  it('leaves the webhook and its past payloads readable for 7 days; then it is gone', async () => {
    const hook = await createHook(t, DATA);
    await patchTask(t, TASK_2, { Hours: 1 });
    clock = START + 14 * DAY - 1;
    expect(await listHooks(t)).toHaveLength(1);
    expect(await allPayloads(t, hook.id)).toHaveLength(1);
    clock = START + 14 * DAY;
    expect(await listHooks(t)).toEqual([]);
    await expectError(await t.api(`${hookPath(hook.id)}/payloads`), 404, 'MODEL_ID_NOT_FOUND');
  });
});

describe('payload retention', () => {
  it('drops payloads over a week old; the cursor keeps counting', async () => {
    const hook = await createHook(t, DATA);
    await patchTask(t, TASK_2, { Hours: 1 });
    clock += 5 * DAY;
    await json(await t.api(`${hookPath(hook.id)}/refresh`, { method: 'POST' }));
    await patchTask(t, TASK_2, { Hours: 2 });
    clock = START + 7 * DAY + 1;
    const page = await payloadPage(t, hook.id);
    expect([page.payloads.map((p) => p.baseTransactionNumber), page.cursor, page.mightHaveMore]).toEqual([
      [2],
      3,
      false,
    ]);
    expect((await listedHook(t, hook.id)).cursorForNextPayload).toBe(3);
  });
});

describe('POST /__emulator/webhooks/expire', () => {
  it('ends every active webhook now, or those of one base, or one', async () => {
    const [a, b, c] = [await createHook(t, DATA), await createHook(t, DATA), await createHook(t, DATA)];
    expect(await json(await t.admin('/webhooks/expire', { body: { webhookId: a.id } }))).toEqual({
      expired: [a.id],
    });
    expect(await json(await t.admin('/webhooks/expire', { body: { baseId: 'appWebhookEdits01' } }))).toEqual({
      expired: [],
    });
    expect(await json(await t.admin('/webhooks/expire', { body: {} }))).toEqual({ expired: [b.id, c.id] });
    const now = new Date(clock).toISOString();
    for (const hook of await listHooks(t))
      expect(hook).toMatchObject({ isHookEnabled: false, expirationTime: now });
    await patchTask(t, TASK_2, { Hours: 1 });
    expect(await allPayloads(t, a.id)).toEqual([]);
  });

  it('refuses an unknown property with 422 EMULATOR_INVALID_REQUEST', async () => {
    await expectError(
      await t.admin('/webhooks/expire', { body: { days: 7 } }),
      422,
      'EMULATOR_INVALID_REQUEST',
    );
  });
});

describe('admin changes to bases', () => {
  it('reset, deleting a base and replacing it with a fixture forget its webhooks', async () => {
    await createHook(t, DATA);
    await json(await t.admin('/bases', { body: hooksFixture() }));
    expect(await listHooks(t)).toEqual([]);

    await createHook(t, DATA);
    await json(await t.admin(`/bases/${HB}`, { method: 'DELETE' }));
    await json(await t.admin('/bases', { body: hooksFixture() }));
    expect(await listHooks(t)).toEqual([]);

    await createHook(t, DATA);
    await resetToHooksBase(t);
    expect(await listHooks(t)).toEqual([]);
  });
});
