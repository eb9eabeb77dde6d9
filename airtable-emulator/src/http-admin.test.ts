import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ApiRecord,
  expectBareNotFound,
  expectError,
  exportText,
  json,
  PRODUCT_ROADMAP_BASE_ID,
  SALES_CRM_BASE_ID,
  send,
} from './http-test-helpers.ts';
import { startTestEmulator, type TestEmulator } from './test-support.ts';

// The admin API under /__emulator: reset, fixtures and export.

const B = SALES_CRM_BASE_ID;
const P = PRODUCT_ROADMAP_BASE_ID;

let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.close());
beforeEach(async () => {
  await json(await t.admin('/reset', { body: { seed: 'sample' } }));
});

const fixture = {
  version: 1,
  users: [{ id: 'usrFixtureOwner01', email: 'owner@fixture.test', name: 'Fixture Owner' }],
  bases: [
    {
      id: 'appFixtureBase001',
      name: 'Fixture',
      permissionLevel: 'edit',
      tables: [
        {
          id: 'tblFixtureTasks01',
          name: 'Tasks',
          fields: [
            { id: 'fldFixtureTitle01', name: 'Title', type: 'singleLineText' },
            { id: 'fldFixtureHours01', name: 'Hours', type: 'number', options: { precision: 1 } },
            { id: 'fldFixtureDouble1', name: 'Double', type: 'formula', options: { formula: '{Hours} * 2' } },
          ],
          records: [
            {
              id: 'recFixtureTask001',
              createdTime: '2026-01-02T03:04:05.000Z',
              fields: { Title: 'Write specs', Hours: 2.5 },
              comments: [
                {
                  id: 'comFixtureNote001',
                  authorId: 'usrFixtureOwner01',
                  text: 'On it',
                  createdTime: '2026-01-03T00:00:00.000Z',
                },
              ],
            },
            { id: 'recFixtureTask002', createdTime: '2026-01-02T03:04:06.000Z', fields: { Title: 'Review' } },
          ],
        },
      ],
    },
  ],
};

describe('reset', () => {
  it('to empty removes every base but keeps the tokens working', async () => {
    await json(await t.admin('/reset', { body: { seed: 'empty' } }));
    expect(await json(await t.api('/v0/meta/bases'))).toEqual({ bases: [] });
    await expectBareNotFound(await t.api(`/v0/${B}/Deals`));
  });

  it('to sample undoes every change', async () => {
    const pristine = await exportText(t);
    await json(await t.api(`/v0/${B}/Deals`, send('POST', { fields: { 'Deal Name': 'Scratch' } })));
    await json(await t.admin(`/bases/${P}`, { method: 'DELETE' }));
    expect(await exportText(t)).not.toBe(pristine);
    await json(await t.admin('/reset', { body: { seed: 'sample' } }));
    expect(await exportText(t)).toBe(pristine);
  });

  it('to a fixture loads exactly that fixture', async () => {
    await json(await t.admin('/reset', { body: { seed: fixture } }));
    const { bases } = await json<{ bases: { id: string }[] }>(await t.api('/v0/meta/bases'));
    expect(bases.map((b) => b.id)).toEqual(['appFixtureBase001']);
  });

  it('to an invalid fixture is 422 EMULATOR_FIXTURE_INVALID and changes nothing', async () => {
    const before = await exportText(t);
    const bad = {
      bases: [
        {
          name: 'Broken',
          tables: [
            {
              name: 'T',
              fields: [{ name: 'N', type: 'singleLineText' }],
              records: [{ fields: { Nope: 1 } }],
            },
          ],
        },
      ],
    };
    await expectError(await t.admin('/reset', { body: { seed: bad } }), 422, 'EMULATOR_FIXTURE_INVALID');
    await expectError(
      await t.admin('/reset', { body: { seed: 'samples' } }),
      422,
      'EMULATOR_INVALID_REQUEST',
    );
    expect(await exportText(t)).toBe(before);
  });
});

describe('fixtures and export', () => {
  it('POST /__emulator/bases loads a fixture that the API then serves', async () => {
    expect(await json(await t.admin('/bases', { body: fixture }))).toEqual({
      baseIds: ['appFixtureBase001'],
    });
    const { records } = await json<{ records: ApiRecord[] }>(
      await t.api('/v0/appFixtureBase001/Tasks?recordMetadata[]=commentCount'),
    );
    expect(records).toEqual([
      {
        id: 'recFixtureTask001',
        createdTime: '2026-01-02T03:04:05.000Z',
        fields: { Title: 'Write specs', Hours: 2.5, Double: 5 },
        commentCount: 1,
      },
      {
        id: 'recFixtureTask002',
        createdTime: '2026-01-02T03:04:06.000Z',
        fields: { Title: 'Review', Double: 0 },
        commentCount: 0,
      },
    ]);
    const bases = await json<{ bases: unknown[] }>(await t.api('/v0/meta/bases'));
    expect(bases.bases).toContainEqual({ id: 'appFixtureBase001', name: 'Fixture', permissionLevel: 'edit' });
  });

  it('exports a loaded fixture so that loading the export again exports the same bytes', async () => {
    await json(await t.admin('/bases', { body: fixture }));
    const first = await (await t.admin('/export?baseId=appFixtureBase001')).text();
    const exported = JSON.parse(first) as {
      bases: { tables: { records: { fields: Record<string, unknown> }[] }[] }[];
    };
    expect(exported.bases).toHaveLength(1);
    expect(exported.bases[0]?.tables[0]?.records[0]?.fields).toEqual({
      fldFixtureTitle01: 'Write specs',
      fldFixtureHours01: 2.5,
    });

    await json(await t.admin('/bases/appFixtureBase001', { method: 'DELETE' }));
    await expectBareNotFound(await t.api('/v0/appFixtureBase001/Tasks'));
    await json(await t.admin('/bases', { body: exported }));
    expect(await (await t.admin('/export?baseId=appFixtureBase001')).text()).toBe(first);
  });

  it('round-trips a whole sample base, comments and links included', async () => {
    const first = await (await t.admin(`/export?baseId=${P}`)).text();
    await json(await t.admin(`/bases/${P}`, { method: 'DELETE' }));
    await json(await t.admin('/bases', { body: JSON.parse(first) }));
    expect(await (await t.admin(`/export?baseId=${P}`)).text()).toBe(first);
  });

  it.each([
    ['no bases array', { bases: 'none' }],
    ['a base without tables', { bases: [{ name: 'Empty', tables: [] }] }],
    [
      'an unknown field type',
      { bases: [{ name: 'X', tables: [{ name: 'T', fields: [{ name: 'N', type: 'hologram' }] }] }] },
    ],
    [
      'a link to no table',
      {
        bases: [
          {
            name: 'X',
            tables: [
              {
                name: 'T',
                fields: [
                  { name: 'N', type: 'singleLineText' },
                  { name: 'L', type: 'multipleRecordLinks', options: { linkedTableId: 'tblNope' } },
                ],
              },
            ],
          },
        ],
      },
    ],
    [
      'a record with an unknown field',
      {
        bases: [
          {
            id: B,
            name: 'Clobber',
            tables: [
              {
                name: 'T',
                fields: [{ name: 'N', type: 'singleLineText' }],
                records: [{ fields: { Nope: 1 } }],
              },
            ],
          },
        ],
      },
    ],
    [
      'a valid base followed by a broken one',
      {
        bases: [
          fixture.bases[0],
          {
            name: 'Bad',
            tables: [
              {
                name: 'T',
                fields: [{ name: 'N', type: 'singleLineText' }],
                views: [{ name: 'V', sort: [{ field: 'Nope' }] }],
              },
            ],
          },
        ],
      },
    ],
  ])('refuses %s with 422 EMULATOR_FIXTURE_INVALID and loads none of it', async (_label, body) => {
    const before = await exportText(t);
    await expectError(await t.admin('/bases', { body }), 422, 'EMULATOR_FIXTURE_INVALID');
    expect(await exportText(t)).toBe(before);
  });

  it('deleting an unknown base is refused', async () => {
    await expectError(
      await t.admin('/bases/appAAAAAAAAAAAAAA', { method: 'DELETE' }),
      422,
      'EMULATOR_INVALID_REQUEST',
    );
  });

  it('an unknown admin route is the bare NOT_FOUND', async () => {
    await expectBareNotFound(await t.admin('/nothing'));
  });
});
