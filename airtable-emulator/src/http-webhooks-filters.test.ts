import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectBareNotFound, expectError, json, send } from './http-test-helpers.ts';
import {
  allPayloads,
  changedCells,
  createHook,
  DONE,
  F,
  HB,
  type HookSpec,
  OPEN_VIEW,
  OWNER,
  PERSON,
  PROJECT,
  PROJECTS,
  patchTask,
  resetToHooksBase,
  TASK_1,
  TASK_2,
  TASKS,
} from './http-webhooks-kit.ts';
import { startTestEmulator, type TestEmulator } from './test-support.ts';

// Which changes reach which webhook (its filters), and changes made "outside" the API: the admin
// route POST /__emulator/client-change applies a write as a person in Airtable's UI would, so its
// payloads say source 'client'.

let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.close());
beforeEach(() => resetToHooksBase(t));

const filters = (f: Record<string, unknown>): HookSpec => ({ filters: f });
/** The top-level parts of each payload a webhook got, e.g. [['changedTablesById']]. */
const kinds = async (hookId: string) => (await allPayloads(t, hookId)).map((p) => tablesPart(p));

function tablesPart(p: { changedTablesById?: object; createdTablesById?: object }): Record<string, string[]> {
  const parts: Record<string, string[]> = {};
  for (const [table, entry] of Object.entries(p.changedTablesById ?? {}))
    parts[table] = Object.keys(entry).sort();
  if (p.createdTablesById)
    parts.created = Object.values(p.createdTablesById)
      .flatMap((e) => Object.keys(e))
      .sort();
  return parts;
}

async function renameTable(name: string) {
  await json(await t.api(`/v0/meta/bases/${HB}/tables/${TASKS}`, send('PATCH', { name })));
}
async function addField(name: string) {
  await json(
    await t.api(
      `/v0/meta/bases/${HB}/tables/${TASKS}/fields`,
      send('POST', { name, type: 'singleLineText' }),
    ),
  );
}
async function addTable() {
  await json(
    await t.api(
      `/v0/meta/bases/${HB}/tables`,
      send('POST', { name: 'Notes', fields: [{ name: 'Note', type: 'singleLineText' }] }),
    ),
  );
}
async function clientChange(body: Record<string, unknown>): Promise<Response> {
  return t.admin('/client-change', { body });
}

describe('dataTypes', () => {
  it('tableData sees record changes only; tableFields field changes only; tableMetadata table metadata only', async () => {
    const data = await createHook(t, filters({ dataTypes: ['tableData'] }));
    const fields = await createHook(t, filters({ dataTypes: ['tableFields'] }));
    const metadata = await createHook(t, filters({ dataTypes: ['tableMetadata'] }));
    await patchTask(t, TASK_2, { Hours: 1 });
    await addField('Due');
    await renameTable('To-dos');
    await addTable();
    expect(await kinds(data.id)).toEqual([{ [TASKS]: ['changedRecordsById'] }]);
    expect(await kinds(fields.id)).toEqual([{ [TASKS]: ['createdFieldsById'] }, { created: ['fieldsById'] }]);
    expect(await kinds(metadata.id)).toEqual([{ [TASKS]: ['changedMetadata'] }, { created: ['metadata'] }]);
  });
});

describe('changeTypes', () => {
  it('add, update and remove each let through their own kind of change', async () => {
    const add = await createHook(
      t,
      filters({ dataTypes: ['tableData', 'tableFields'], changeTypes: ['add'] }),
    );
    const update = await createHook(t, filters({ dataTypes: ['tableData'], changeTypes: ['update'] }));
    const remove = await createHook(t, filters({ dataTypes: ['tableData'], changeTypes: ['remove'] }));
    await json(await t.api(`/v0/${HB}/Tasks`, send('POST', { fields: { Name: 'New' } })));
    await patchTask(t, TASK_2, { Hours: 1 });
    await json(await t.api(`/v0/${HB}/Tasks/${TASK_2}`, { method: 'DELETE' }));
    await addField('Due');
    expect(await kinds(add.id)).toEqual([
      { [TASKS]: ['createdRecordsById'] },
      { [TASKS]: ['createdFieldsById'] },
    ]);
    expect(await kinds(update.id)).toEqual([{ [TASKS]: ['changedRecordsById'] }]);
    expect(await kinds(remove.id)).toEqual([{ [TASKS]: ['destroyedRecordIds'] }]);
  });
});

describe('recordChangeScope', () => {
  it('a table scope sees that table’s changes only, side effects included, and no new tables', async () => {
    const projects = await createHook(
      t,
      filters({ dataTypes: ['tableData', 'tableMetadata'], recordChangeScope: PROJECTS }),
    );
    await patchTask(t, TASK_2, { Hours: 1 });
    await addTable();
    await patchTask(t, TASK_2, { Project: [PROJECT] });
    const payloads = await allPayloads(t, projects.id);
    expect(payloads.map((p) => tablesPart(p))).toEqual([{ [PROJECTS]: ['changedRecordsById'] }]);
    expect(changedCells(payloads[0], PROJECT, PROJECTS)).toEqual({
      [F.projectTasks]: [
        { id: TASK_1, name: 'Write spec' },
        { id: TASK_2, name: 'Ship' },
      ],
    });
  });

  it('a view scope watches the table of the view', async () => {
    const open = await createHook(t, filters({ dataTypes: ['tableData'], recordChangeScope: OPEN_VIEW }));
    await json(await t.api(`/v0/${HB}/Projects/${PROJECT}`, send('PATCH', { fields: { Name: 'Launch 2' } })));
    await patchTask(t, TASK_2, { Hours: 1 });
    expect(await kinds(open.id)).toEqual([{ [TASKS]: ['changedRecordsById'] }]);
  });
});

describe('watchDataInFieldIds and watchSchemasOfFieldIds', () => {
  it('watchDataInFieldIds lets through only updates that touch a watched field (with every changed cell)', async () => {
    const status = await createHook(
      t,
      filters({ dataTypes: ['tableData'], watchDataInFieldIds: [F.status] }),
    );
    await patchTask(t, TASK_2, { Hours: 1 });
    await patchTask(t, TASK_2, { Hours: 2, Status: 'Done' });
    const payloads = await allPayloads(t, status.id);
    expect(payloads.map((p) => changedCells(p, TASK_2))).toEqual([{ [F.hours]: 2, [F.status]: DONE }]);
  });

  it('watchSchemasOfFieldIds lets through only changes to those fields’ schemas', async () => {
    const name = await createHook(
      t,
      filters({ dataTypes: ['tableFields'], watchSchemasOfFieldIds: [F.name] }),
    );
    await json(
      await t.api(
        `/v0/meta/bases/${HB}/tables/${TASKS}/fields/${F.hours}`,
        send('PATCH', { name: 'Effort' }),
      ),
    );
    await addField('Due');
    await json(
      await t.api(`/v0/meta/bases/${HB}/tables/${TASKS}/fields/${F.name}`, send('PATCH', { name: 'Title' })),
    );
    const payloads = await allPayloads(t, name.id);
    expect(payloads.map((p) => p.changedTablesById)).toEqual([
      { [TASKS]: { changedFieldsById: { [F.name]: { current: { name: 'Title' } } } } },
    ]);
  });
});

describe('changes made in the UI (POST /__emulator/client-change)', () => {
  it('answers as the /v0 route would, and payloads say source client and who made the change', async () => {
    const { id } = await createHook(t, filters({ dataTypes: ['tableData'] }));
    const res = await clientChange({
      method: 'PATCH',
      path: `/v0/${HB}/Tasks/${TASK_2}`,
      body: { fields: { Status: 'Done' } },
      userId: PERSON.id,
    });
    expect(await json(res)).toMatchObject({ id: TASK_2, fields: { Name: 'Ship', Status: 'Done' } });
    const [payload] = await allPayloads(t, id);
    expect(payload?.actionMetadata).toEqual({
      source: 'client',
      sourceMetadata: { user: { ...PERSON, permissionLevel: 'create' } },
    });
    expect(changedCells(payload, TASK_2)).toEqual({ [F.status]: DONE });
  });

  it('acts as the base owner when no user is named, and can change the schema too', async () => {
    const { id } = await createHook(t, filters({ dataTypes: ['tableFields'] }));
    await json(
      await clientChange({
        method: 'POST',
        path: `/v0/meta/bases/${HB}/tables/${TASKS}/fields`,
        body: { name: 'Due', type: 'singleLineText' },
      }),
    );
    const [payload] = await allPayloads(t, id);
    expect(payload?.actionMetadata).toEqual({
      source: 'client',
      sourceMetadata: { user: { ...OWNER, permissionLevel: 'create' } },
    });
  });

  it('fromSources tells the UI’s changes from the API’s', async () => {
    const ui = await createHook(t, filters({ dataTypes: ['tableData'], fromSources: ['client'] }));
    const api = await createHook(t, filters({ dataTypes: ['tableData'], fromSources: ['publicApi'] }));
    await patchTask(t, TASK_2, { Hours: 1 });
    await json(
      await clientChange({
        method: 'PATCH',
        path: `/v0/${HB}/Tasks/${TASK_2}`,
        body: { fields: { Hours: 2 } },
      }),
    );
    expect((await allPayloads(t, ui.id)).map((p) => changedCells(p, TASK_2))).toEqual([{ [F.hours]: 2 }]);
    expect((await allPayloads(t, api.id)).map((p) => changedCells(p, TASK_2))).toEqual([{ [F.hours]: 1 }]);
  });

  it('passes on the route’s refusals in Airtable’s shape, and changes nothing', async () => {
    const { id } = await createHook(t, filters({ dataTypes: ['tableData'] }));
    await expectError(
      await clientChange({
        method: 'PATCH',
        path: `/v0/${HB}/Tasks/${TASK_2}`,
        body: { fields: { Nope: 1 } },
      }),
      422,
      'UNKNOWN_FIELD_NAME',
    );
    await expectBareNotFound(
      await clientChange({ method: 'PATCH', path: '/v0/appNoSuchBase0001/Tasks/rec1', body: { fields: {} } }),
    );
    expect(await allPayloads(t, id)).toEqual([]);
  });

  it.each([
    ['a webhooks path', { method: 'DELETE', path: `/v0/bases/${HB}/webhooks/achNoSuchHook0001` }],
    ['the base list', { method: 'POST', path: '/v0/meta/bases' }],
    ['a path outside /v0', { method: 'POST', path: '/__emulator/reset' }],
    ['a read', { method: 'GET', path: `/v0/${HB}/Tasks` }],
    ['an unknown user', { method: 'DELETE', path: `/v0/${HB}/Tasks/${TASK_2}`, userId: 'usrNobodyAtAll001' }],
    ['an unknown property', { method: 'DELETE', path: `/v0/${HB}/Tasks/${TASK_2}`, source: 'client' }],
  ])('refuses %s with 422 EMULATOR_INVALID_REQUEST', async (_label, body) => {
    await expectError(await clientChange(body), 422, 'EMULATOR_INVALID_REQUEST');
    expect((await json<{ records: unknown[] }>(await t.api(`/v0/${HB}/Tasks`))).records).toHaveLength(2);
  });
});
