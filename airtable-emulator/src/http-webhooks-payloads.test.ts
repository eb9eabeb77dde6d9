import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ApiRecord, expectError, json, send } from './http-test-helpers.ts';
import {
  allPayloads,
  changedCells,
  createHook,
  DONE,
  F,
  HB,
  listedHook,
  OWNER,
  onlyChange,
  PROJECT,
  PROJECTS,
  patchTask,
  payloadPage,
  resetToHooksBase,
  TASK_1,
  TASK_2,
  TASKS,
  TODO,
} from './http-webhooks-kit.ts';
import { startTestEmulator, type TestEmulator } from './test-support.ts';

// What a webhook's payloads say about each kind of change made through the API, in Airtable's
// payload format (v0, cell values in the V2 format: selects as {id, name, color}, links as
// {id, name}), and how the payloads endpoint pages them with its cursor.

const ALL = { filters: { dataTypes: ['tableData', 'tableFields', 'tableMetadata'] } };
const START = Date.parse('2026-05-01T09:00:00.000Z');

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

const tick = () => {
  clock += 1000;
  return new Date(clock).toISOString();
};

describe('the payload envelope', () => {
  it('says when, which base transaction, and that the public API made the change, as whom', async () => {
    const { id } = await createHook(t, ALL);
    const at = tick();
    await patchTask(t, TASK_2, { Hours: 3 });
    await patchTask(t, TASK_2, { Hours: 4 });
    const [first, second] = await allPayloads(t, id);
    expect(first).toEqual({
      timestamp: at,
      baseTransactionNumber: 1,
      actionMetadata: {
        source: 'publicApi',
        sourceMetadata: {
          user: { id: OWNER.id, email: OWNER.email, name: OWNER.name, permissionLevel: 'create' },
        },
      },
      payloadFormat: 'v0',
      changedTablesById: {
        [TASKS]: { changedRecordsById: { [TASK_2]: { current: { cellValuesByFieldId: { [F.hours]: 3 } } } } },
      },
    });
    expect(second?.baseTransactionNumber).toBe(2);
  });

  it('is not made for a write that changes nothing, a refused write, a read or a comment', async () => {
    const { id } = await createHook(t, ALL);
    await patchTask(t, TASK_2, { Name: 'Ship' });
    await expectError(
      await t.api(`/v0/${HB}/Tasks/${TASK_2}`, send('PATCH', { fields: { Nope: 1 } })),
      422,
      'UNKNOWN_FIELD_NAME',
    );
    await json(await t.api(`/v0/${HB}/Tasks/listRecords`, send('POST', {})));
    await json(await t.api(`/v0/${HB}/Tasks/${TASK_2}/comments`, send('POST', { text: 'Looks good' })));
    expect(await allPayloads(t, id)).toEqual([]);
    expect((await listedHook(t, id)).cursorForNextPayload).toBe(1);
  });
});

describe('record changes (tableData)', () => {
  it('a created record carries its cells, and the linked record’s new back-link comes in the same payload', async () => {
    const { id } = await createHook(t, ALL);
    const createdTime = tick();
    const created = await json<ApiRecord>(
      await t.api(
        `/v0/${HB}/Tasks`,
        send('POST', { fields: { Name: 'Test', Status: 'Done', Hours: 1.5, Project: [PROJECT] } }),
      ),
    );
    const [payload] = await allPayloads(t, id);
    expect(payload?.changedTablesById).toEqual({
      [TASKS]: {
        createdRecordsById: {
          [created.id]: {
            createdTime,
            cellValuesByFieldId: {
              [F.name]: 'Test',
              [F.status]: DONE,
              [F.hours]: 1.5,
              [F.project]: [{ id: PROJECT, name: 'Launch' }],
            },
          },
        },
      },
      [PROJECTS]: {
        changedRecordsById: {
          [PROJECT]: {
            current: {
              cellValuesByFieldId: {
                [F.projectTasks]: [
                  { id: TASK_1, name: 'Write spec' },
                  { id: created.id, name: 'Test' },
                ],
              },
            },
          },
        },
      },
    });
  });

  it('a batch of creates is one payload', async () => {
    const { id } = await createHook(t, ALL);
    const { records } = await json<{ records: ApiRecord[] }>(
      await t.api(
        `/v0/${HB}/Tasks`,
        send('POST', { records: [{ fields: { Name: 'A' } }, { fields: { Name: 'B' } }] }),
      ),
    );
    const change = await onlyChange(t, id);
    expect(Object.keys(change.createdRecordsById as object)).toEqual(records.map((r) => r.id));
  });

  it('an update carries only the changed cells; a cleared cell is null', async () => {
    const { id } = await createHook(t, ALL);
    await json(
      await t.api(
        `/v0/${HB}/Tasks/${TASK_1}`,
        send('PUT', { fields: { Name: 'Write spec', Status: 'Done', Project: [PROJECT] } }),
      ),
    );
    expect(await onlyChange(t, id)).toEqual({
      changedRecordsById: {
        [TASK_1]: { current: { cellValuesByFieldId: { [F.status]: DONE, [F.hours]: null } } },
      },
    });
  });

  it('with includePreviousCellValues, an update also says what the cells held', async () => {
    const { id } = await createHook(t, { ...ALL, includes: { includePreviousCellValues: true } });
    await patchTask(t, TASK_1, { Status: 'Done', Hours: null, Name: 'Wrote spec' });
    expect(await onlyChange(t, id)).toEqual({
      changedRecordsById: {
        [TASK_1]: {
          current: { cellValuesByFieldId: { [F.status]: DONE, [F.hours]: null, [F.name]: 'Wrote spec' } },
          previous: { cellValuesByFieldId: { [F.status]: TODO, [F.hours]: 2, [F.name]: 'Write spec' } },
        },
      },
    });
  });

  it('with includeCellValuesInFieldIds, an update also carries those unchanged cells ("all": every one)', async () => {
    const some = await createHook(t, {
      ...ALL,
      includes: { includeCellValuesInFieldIds: [F.name, F.status] },
    });
    const every = await createHook(t, { ...ALL, includes: { includeCellValuesInFieldIds: 'all' } });
    await patchTask(t, TASK_1, { Status: 'Done' });
    expect(await onlyChange(t, some.id)).toEqual({
      changedRecordsById: {
        [TASK_1]: {
          current: { cellValuesByFieldId: { [F.status]: DONE } },
          unchanged: { cellValuesByFieldId: { [F.name]: 'Write spec' } },
        },
      },
    });
    expect(await onlyChange(t, every.id)).toMatchObject({
      changedRecordsById: {
        [TASK_1]: {
          unchanged: {
            cellValuesByFieldId: {
              [F.name]: 'Write spec',
              [F.hours]: 2,
              [F.project]: [{ id: PROJECT, name: 'Launch' }],
            },
          },
        },
      },
    });
  });

  it('an upsert reports the records it created and those it updated in one payload', async () => {
    const { id } = await createHook(t, ALL);
    const answer = await json<{ createdRecords: string[]; updatedRecords: string[] }>(
      await t.api(
        `/v0/${HB}/Tasks`,
        send('PATCH', {
          performUpsert: { fieldsToMergeOn: ['Name'] },
          records: [{ fields: { Name: 'Ship', Hours: 8 } }, { fields: { Name: 'Celebrate', Hours: 1 } }],
        }),
      ),
    );
    const change = await onlyChange(t, id);
    expect(Object.keys(change.createdRecordsById as object)).toEqual(answer.createdRecords);
    expect(change.changedRecordsById).toEqual({
      [TASK_2]: { current: { cellValuesByFieldId: { [F.hours]: 8 } } },
    });
  });

  it('a delete reports the destroyed record and the links it leaves behind', async () => {
    const { id } = await createHook(t, { ...ALL, includes: { includePreviousCellValues: true } });
    await json(await t.api(`/v0/${HB}/Tasks?records[]=${TASK_1}&records[]=${TASK_2}`, { method: 'DELETE' }));
    const [payload] = await allPayloads(t, id);
    expect(payload?.changedTablesById).toEqual({
      [TASKS]: { destroyedRecordIds: [TASK_1, TASK_2] },
      [PROJECTS]: {
        changedRecordsById: {
          [PROJECT]: {
            current: { cellValuesByFieldId: { [F.projectTasks]: null } },
            previous: { cellValuesByFieldId: { [F.projectTasks]: [{ id: TASK_1, name: 'Write spec' }] } },
          },
        },
      },
    });
  });

  it('an uploaded attachment is a changed cell of its record', async () => {
    const field = await json<{ id: string }>(
      await t.api(
        `/v0/meta/bases/${HB}/tables/${TASKS}/fields`,
        send('POST', { name: 'Files', type: 'multipleAttachments' }),
      ),
    );
    const { id } = await createHook(t, ALL);
    const file = Buffer.from('hello').toString('base64');
    await json(
      await t.api(
        `/v0/${HB}/${TASK_2}/${field.id}/uploadAttachment`,
        send('POST', { contentType: 'text/plain', file, filename: 'a.txt' }),
      ),
    );
    const [payload] = await allPayloads(t, id);
    expect(changedCells(payload, TASK_2)).toEqual({
      [field.id]: [
        expect.objectContaining({ id: expect.stringMatching(/^att/), filename: 'a.txt', type: 'text/plain' }),
      ],
    });
  });

  it('a linked record that typecast makes is a created record of its table', async () => {
    const { id } = await createHook(t, ALL);
    await json(
      await t.api(
        `/v0/${HB}/Tasks/${TASK_2}`,
        send('PATCH', { fields: { Project: ['Beta'] }, typecast: true }),
      ),
    );
    const [payload] = await allPayloads(t, id);
    const projects = payload?.changedTablesById?.[PROJECTS]?.createdRecordsById as Record<
      string,
      { cellValuesByFieldId: object }
    >;
    const [betaId] = Object.keys(projects);
    expect(projects[betaId as string]?.cellValuesByFieldId).toEqual({
      [F.projectName]: 'Beta',
      [F.projectTasks]: [{ id: TASK_2, name: 'Ship' }],
    });
    expect(payload?.changedTablesById?.[TASKS]).toEqual({
      changedRecordsById: {
        [TASK_2]: { current: { cellValuesByFieldId: { [F.project]: [{ id: betaId, name: 'Beta' }] } } },
      },
    });
  });
});

describe('schema changes (tableFields, tableMetadata)', () => {
  it('a created table carries its metadata and fields', async () => {
    const { id } = await createHook(t, ALL);
    const table = await json<{ id: string; fields: { id: string }[] }>(
      await t.api(
        `/v0/meta/bases/${HB}/tables`,
        send('POST', {
          name: 'Notes',
          description: 'Loose ends',
          fields: [{ name: 'Note', type: 'multilineText' }],
        }),
      ),
    );
    const [payload] = await allPayloads(t, id);
    expect(payload?.createdTablesById).toEqual({
      [table.id]: {
        metadata: { name: 'Notes', description: 'Loose ends' },
        fieldsById: { [table.fields[0]?.id as string]: { name: 'Note', type: 'multilineText' } },
      },
    });
    expect(payload?.changedTablesById).toBeUndefined();
  });

  it('a renamed or redescribed table is changedMetadata, with what it was', async () => {
    const { id } = await createHook(t, ALL);
    await json(
      await t.api(
        `/v0/meta/bases/${HB}/tables/${TASKS}`,
        send('PATCH', { name: 'To-dos', description: 'Work' }),
      ),
    );
    expect(await onlyChange(t, id)).toEqual({
      changedMetadata: {
        current: { name: 'To-dos', description: 'Work' },
        previous: { name: 'Tasks', description: null },
      },
    });
  });

  it('a created field is createdFieldsById', async () => {
    const { id } = await createHook(t, ALL);
    const field = await json<{ id: string }>(
      await t.api(
        `/v0/meta/bases/${HB}/tables/${TASKS}/fields`,
        send('POST', { name: 'Due', type: 'date', options: { dateFormat: { name: 'iso' } } }),
      ),
    );
    expect(await onlyChange(t, id)).toEqual({
      createdFieldsById: { [field.id]: { name: 'Due', type: 'date' } },
    });
  });

  it('a created link field also changes the linked table, which gains the other side', async () => {
    const { id } = await createHook(t, ALL);
    await json(
      await t.api(
        `/v0/meta/bases/${HB}/tables/${TASKS}/fields`,
        send('POST', { name: 'Blocks', type: 'multipleRecordLinks', options: { linkedTableId: PROJECTS } }),
      ),
    );
    const [payload] = await allPayloads(t, id);
    expect(Object.keys(payload?.changedTablesById ?? {}).sort()).toEqual([PROJECTS, TASKS].sort());
  });

  it('a renamed field is changedFieldsById; its previous definition only with includePreviousFieldDefinitions', async () => {
    const plain = await createHook(t, ALL);
    const withPrevious = await createHook(t, { ...ALL, includes: { includePreviousFieldDefinitions: true } });
    await json(
      await t.api(
        `/v0/meta/bases/${HB}/tables/${TASKS}/fields/${F.hours}`,
        send('PATCH', { name: 'Effort' }),
      ),
    );
    expect(await onlyChange(t, plain.id)).toEqual({
      changedFieldsById: { [F.hours]: { current: { name: 'Effort' } } },
    });
    expect(await onlyChange(t, withPrevious.id)).toEqual({
      changedFieldsById: { [F.hours]: { current: { name: 'Effort' }, previous: { name: 'Hours' } } },
    });
  });

  it('a field description change is not reported (payloads carry a field’s name and type only)', async () => {
    const { id } = await createHook(t, ALL);
    await json(
      await t.api(
        `/v0/meta/bases/${HB}/tables/${TASKS}/fields/${F.hours}`,
        send('PATCH', { description: 'Estimate' }),
      ),
    );
    expect(await allPayloads(t, id)).toEqual([]);
  });
});

describe('listing payloads', () => {
  async function makePayloads(n: number): Promise<void> {
    for (let i = 1; i <= n; i++) await patchTask(t, TASK_2, { Hours: i });
  }

  it('pages at most 50 at a time; the cursor goes on from the last one, mightHaveMore until the end', async () => {
    const { id } = await createHook(t, ALL);
    await makePayloads(60);
    const first = await payloadPage(t, id);
    expect([first.payloads.length, first.cursor, first.mightHaveMore]).toEqual([50, 51, true]);
    expect(first.payloads[0]?.baseTransactionNumber).toBe(1);
    const second = await payloadPage(t, id, `?cursor=${first.cursor}`);
    expect([second.payloads.length, second.cursor, second.mightHaveMore]).toEqual([10, 61, false]);
    const hours = second.payloads.map((p) => changedCells(p, TASK_2)?.[F.hours]);
    expect(hours).toEqual([51, 52, 53, 54, 55, 56, 57, 58, 59, 60]);
    expect(await payloadPage(t, id, '?cursor=61')).toEqual({
      cursor: 61,
      mightHaveMore: false,
      payloads: [],
    });
    expect((await listedHook(t, id)).cursorForNextPayload).toBe(61);
  });

  it('takes a smaller limit, and a cursor past the end comes back as it was sent', async () => {
    const { id } = await createHook(t, ALL);
    await makePayloads(5);
    const page = await payloadPage(t, id, '?cursor=2&limit=2');
    expect([page.payloads.map((p) => p.baseTransactionNumber), page.cursor, page.mightHaveMore]).toEqual([
      [2, 3],
      4,
      true,
    ]);
    expect(await payloadPage(t, id, '?cursor=99')).toEqual({
      cursor: 99,
      mightHaveMore: false,
      payloads: [],
    });
  });

  it('numbers each webhook’s payloads from 1, whenever it was created', async () => {
    await createHook(t, ALL);
    await makePayloads(3);
    const late = await createHook(t, ALL);
    await makePayloads(1);
    const page = await payloadPage(t, late.id);
    expect([page.payloads.map((p) => p.baseTransactionNumber), page.cursor]).toEqual([[4], 2]);
  });

  it.each([['limit=51'], ['limit=0'], ['limit=ten'], ['cursor=0'], ['cursor=-1'], ['cursor=1.5']])(
    'refuses %s with 422 INVALID_REQUEST_UNKNOWN',
    async (query) => {
      const { id } = await createHook(t, ALL);
      await expectError(
        await t.api(`/v0/bases/${HB}/webhooks/${id}/payloads?${query}`),
        422,
        'INVALID_REQUEST_UNKNOWN',
      );
    },
  );
});
