import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectBareNotFound, expectError, json, send } from './http-test-helpers.ts';
import {
  createHook,
  EDIT_BASE,
  F,
  HB,
  hookBody,
  listedHook,
  listHooks,
  payloadPage,
  resetToHooksBase,
  TASKS,
} from './http-webhooks-kit.ts';
import { startTestEmulator, type TestEmulator } from './test-support.ts';

// The webhooks API's management calls: create, list, refresh, enable notifications, delete, with
// Airtable's limits (10 webhooks a base, creator permission) and its answers to bad requests.

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

const hooks = `/v0/bases/${HB}/webhooks`;

describe('creating a webhook', () => {
  it('answers its id, a MAC secret shown only this once, and an expiry 7 days out', async () => {
    const created = await createHook(t, DATA, 'https://example.com/ping');
    expect(created).toEqual({
      id: expect.stringMatching(/^ach[A-Za-z0-9]{14}$/),
      macSecretBase64: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
      expirationTime: new Date(START + 7 * DAY).toISOString(),
    });
    expect(Buffer.from(created.macSecretBase64, 'base64').length).toBeGreaterThanOrEqual(32);
  });

  it('is listed with the fields Airtable documents, and never with its secret', async () => {
    const created = await createHook(t, DATA, 'https://example.com/ping');
    expect(await listHooks(t)).toEqual([
      {
        id: created.id,
        areNotificationsEnabled: true,
        cursorForNextPayload: 1,
        isHookEnabled: true,
        lastSuccessfulNotificationTime: null,
        notificationUrl: 'https://example.com/ping',
        expirationTime: created.expirationTime,
        lastNotificationResult: null,
        specification: { options: DATA },
      },
    ]);
  });

  it('takes no notificationUrl (payloads are then only pulled), with notifications off', async () => {
    const created = await createHook(t, DATA);
    expect(await listedHook(t, created.id)).toMatchObject({
      notificationUrl: null,
      areNotificationsEnabled: false,
    });
  });

  it('keeps every documented filter and include, as given', async () => {
    const spec = {
      filters: {
        dataTypes: ['tableData', 'tableFields', 'tableMetadata'],
        recordChangeScope: TASKS,
        changeTypes: ['add', 'update'],
        fromSources: ['client', 'publicApi', 'formSubmission'],
        sourceOptions: { formSubmission: { viewId: 'viwTasksGrid00001' } },
        watchDataInFieldIds: [F.status],
        watchSchemasOfFieldIds: [F.name],
      },
      includes: {
        includeCellValuesInFieldIds: 'all',
        includePreviousCellValues: true,
        includePreviousFieldDefinitions: false,
      },
    };
    const created = await createHook(t, spec);
    expect((await listedHook(t, created.id)).specification).toEqual({ options: spec });
  });

  it.each([
    ['no body', undefined],
    ['a body that is not an object', ['tableData']],
    ['no specification', { notificationUrl: 'https://example.com' }],
    ['no filters', { specification: { options: {} } }],
    ['no dataTypes', { specification: { options: { filters: {} } } }],
    ['empty dataTypes', hookBody({ filters: { dataTypes: [] } })],
    ['an unknown dataType', hookBody({ filters: { dataTypes: ['comments'] } })],
    ['an unknown changeType', hookBody({ filters: { dataTypes: ['tableData'], changeTypes: ['move'] } })],
    ['an unknown source', hookBody({ filters: { dataTypes: ['tableData'], fromSources: ['email'] } })],
    ['an unknown filter', hookBody({ filters: { dataTypes: ['tableData'], tableIds: [TASKS] } })],
    ['an unknown top-level key', { ...hookBody(DATA), cursor: 1 }],
    ['a notificationUrl that is not a URL', hookBody(DATA, 'not a url')],
    ['a notificationUrl that is not http(s)', hookBody(DATA, 'ftp://example.com/ping')],
    [
      'a recordChangeScope that names no table of the base',
      hookBody({ filters: { dataTypes: ['tableData'], recordChangeScope: 'tblNoSuchTable001' } }),
    ],
    [
      'a watched field that does not exist',
      hookBody({ filters: { dataTypes: ['tableData'], watchDataInFieldIds: ['fldNoSuchField001'] } }),
    ],
    [
      'a watched field outside the scoped table',
      hookBody({
        filters: { dataTypes: ['tableData'], recordChangeScope: TASKS, watchDataInFieldIds: [F.projectName] },
      }),
    ],
    [
      'includeCellValuesInFieldIds that is neither "all" nor ids',
      hookBody({ ...DATA, includes: { includeCellValuesInFieldIds: 'some' } }),
    ],
    [
      'includePreviousCellValues that is not a boolean',
      hookBody({ ...DATA, includes: { includePreviousCellValues: 'yes' } }),
    ],
  ])('refuses %s with 422 INVALID_REQUEST_UNKNOWN, creating nothing', async (_label, body) => {
    const init = body === undefined ? { method: 'POST' } : send('POST', body);
    await expectError(await t.api(hooks, init), 422, 'INVALID_REQUEST_UNKNOWN');
    expect(await listHooks(t)).toEqual([]);
  });

  it('allows 10 webhooks a base: the 11th is 422 TOO_MANY_WEBHOOKS_IN_BASE until one is deleted', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await createHook(t, DATA)).id);
    await expectError(await t.api(hooks, send('POST', hookBody(DATA))), 422, 'TOO_MANY_WEBHOOKS_IN_BASE');
    expect(await listHooks(t)).toHaveLength(10);

    await json(await t.api(`${hooks}/${ids[0]}`, { method: 'DELETE' }));
    await createHook(t, DATA);
    expect(await listHooks(t)).toHaveLength(10);
  });

  it('counts expired webhooks against the limit while they are still readable', async () => {
    for (let i = 0; i < 10; i++) await createHook(t, DATA);
    clock += 8 * DAY;
    expect((await listHooks(t)).every((h) => !h.isHookEnabled)).toBe(true);
    await expectError(await t.api(hooks, send('POST', hookBody(DATA))), 422, 'TOO_MANY_WEBHOOKS_IN_BASE');
  });

  it('needs creator permission on the base: an edit-only base is 403 INVALID_PERMISSIONS', async () => {
    await expectError(
      await t.api(`/v0/bases/${EDIT_BASE}/webhooks`, send('POST', hookBody(DATA))),
      403,
      'INVALID_PERMISSIONS',
    );
    expect(await listHooks(t, EDIT_BASE)).toEqual([]);
  });

  it('answers an unknown base with the bare 404', async () => {
    await expectBareNotFound(
      await t.api('/v0/bases/appNoSuchBase0001/webhooks', send('POST', hookBody(DATA))),
    );
    await expectBareNotFound(await t.api('/v0/bases/appNoSuchBase0001/webhooks'));
  });
});

describe('managing a webhook', () => {
  it('refresh extends its life to 7 days from now', async () => {
    const { id } = await createHook(t, DATA);
    clock += 3 * DAY;
    const refreshed = await json(await t.api(`${hooks}/${id}/refresh`, { method: 'POST' }));
    const expirationTime = new Date(clock + 7 * DAY).toISOString();
    expect(refreshed).toEqual({ expirationTime });
    expect((await listedHook(t, id)).expirationTime).toBe(expirationTime);
  });

  it('enableNotifications turns pings off and on', async () => {
    const { id } = await createHook(t, DATA, 'https://example.com/ping');
    expect(
      await json(await t.api(`${hooks}/${id}/enableNotifications`, send('POST', { enable: false }))),
    ).toEqual({});
    expect((await listedHook(t, id)).areNotificationsEnabled).toBe(false);
    await json(await t.api(`${hooks}/${id}/enableNotifications`, send('POST', { enable: true })));
    expect((await listedHook(t, id)).areNotificationsEnabled).toBe(true);
  });

  it.each([
    ['no body', undefined],
    ['enable that is not a boolean', { enable: 'yes' }],
    ['an unknown key', { enable: true, url: 'https://example.com' }],
  ])('enableNotifications refuses %s with 422 INVALID_REQUEST_UNKNOWN', async (_label, body) => {
    const { id } = await createHook(t, DATA, 'https://example.com/ping');
    const init = body === undefined ? { method: 'POST' } : send('POST', body);
    await expectError(
      await t.api(`${hooks}/${id}/enableNotifications`, init),
      422,
      'INVALID_REQUEST_UNKNOWN',
    );
    expect((await listedHook(t, id)).areNotificationsEnabled).toBe(true);
  });

  it('delete removes it and its payloads', async () => {
    const { id } = await createHook(t, DATA);
    expect(await json(await t.api(`${hooks}/${id}`, { method: 'DELETE' }))).toEqual({});
    expect(await listHooks(t)).toEqual([]);
    await expectError(await t.api(`${hooks}/${id}/payloads`), 404, 'MODEL_ID_NOT_FOUND');
    await expectError(await t.api(`${hooks}/${id}`, { method: 'DELETE' }), 404, 'MODEL_ID_NOT_FOUND');
  });

  it.each([
    ['DELETE', ''],
    ['POST', '/refresh'],
    ['POST', '/enableNotifications'],
    ['GET', '/payloads'],
  ])(
    '%s …/webhooks/{id}%s of an unknown webhook, or of another base, is 404 MODEL_ID_NOT_FOUND',
    async (method, tail) => {
      const init = method === 'POST' ? send('POST', { enable: true }) : { method };
      await expectError(await t.api(`${hooks}/achNoSuchHook0001${tail}`, init), 404, 'MODEL_ID_NOT_FOUND');
      const other = await createHook(t, { filters: { dataTypes: ['tableData'] } });
      await json(
        await t.admin('/bases', {
          body: {
            bases: [
              {
                id: 'appSecondBase0001',
                name: 'Second',
                tables: [{ name: 'T', fields: [{ name: 'N', type: 'singleLineText' }] }],
              },
            ],
          },
        }),
      );
      await expectError(
        await t.api(`/v0/bases/appSecondBase0001/webhooks/${other.id}${tail}`, init),
        404,
        'MODEL_ID_NOT_FOUND',
      );
    },
  );

  it('keeps each base’s webhooks apart', async () => {
    await json(
      await t.admin('/bases', {
        body: {
          bases: [
            {
              id: 'appSecondBase0001',
              name: 'Second',
              tables: [{ name: 'T', fields: [{ name: 'N', type: 'singleLineText' }] }],
            },
          ],
        },
      }),
    );
    const first = await createHook(t, DATA);
    const second = await createHook(t, DATA, undefined, 'appSecondBase0001');
    expect((await listHooks(t)).map((h) => h.id)).toEqual([first.id]);
    expect((await listHooks(t, 'appSecondBase0001')).map((h) => h.id)).toEqual([second.id]);
    expect((await payloadPage(t, second.id, '', 'appSecondBase0001')).payloads).toEqual([]);
  });
});
