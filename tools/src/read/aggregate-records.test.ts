import { beforeAll, describe, expect, it } from 'vitest';
import { aggregateRecordsTool, EMPTY_GROUP } from './aggregate-records.ts';
import { CRM, useReadKit } from './test-kit.ts';

const kit = useReadKit();

/**
 * A table with blank cells, as real bases have. Airtable leaves an empty cell out of the
 * record, and its rollups (SUM, AVERAGE, MIN, MAX, COUNT) skip it; a zero is a value.
 */
const ROWS: { Name: string; N?: number; When?: string; Group?: string }[] = [
  { Name: 'a', N: 10, When: '2026-03-01', Group: 'Alpha' },
  { Name: 'b', Group: 'Alpha' },
  { Name: 'c', N: 0, When: '2026-01-15', Group: 'Alpha' },
  { Name: 'd', N: -4, Group: 'Beta' },
  { Name: 'e', When: '2026-05-20', Group: 'Beta' },
  { Name: 'f', Group: 'Blanks Only' },
  { Name: 'g', N: 20 },
];

const METRICS = [
  { op: 'count' as const },
  { op: 'count' as const, field: 'N' },
  { op: 'sum' as const, field: 'N' },
  { op: 'avg' as const, field: 'N' },
  { op: 'min' as const, field: 'N' },
  { op: 'max' as const, field: 'N' },
];

beforeAll(async () => {
  const airtable = kit.airtable();
  const table = await airtable.createTable(CRM, {
    name: 'Sparse',
    fields: [
      { name: 'Name', type: 'singleLineText' },
      { name: 'N', type: 'number', options: { precision: 0 } },
      { name: 'When', type: 'date', options: { dateFormat: { name: 'iso' } } },
      {
        name: 'Group',
        type: 'singleSelect',
        options: { choices: ['Alpha', 'Beta', 'Blanks Only'].map((name) => ({ name })) },
      },
    ],
  });
  const result = await airtable.createMany(
    CRM,
    table.id,
    ROWS.map((fields) => ({ fields })),
  );
  expect(result.written).toBe(ROWS.length);
});

describe('aggregate_records over blank cells', () => {
  it('averages over the records that have a value, not over every record', async () => {
    const out = await kit.run(aggregateRecordsTool, { base_id: CRM, table: 'Sparse', metrics: METRICS });
    expect(out.records_scanned).toBe(7);
    expect(out.groups).toEqual([
      {
        count: 7,
        values: {
          count: 7,
          'count(N)': 4,
          'sum(N)': 26,
          // (10 + 0 - 4 + 20) / 4: three records have no N and do not weigh on the mean.
          'avg(N)': 6.5,
          'min(N)': -4,
          'max(N)': 20,
        },
      },
    ]);
  });

  it('skips blanks in every group, counts a zero as a value, and gives a group of blanks no average', async () => {
    const out = await kit.run(aggregateRecordsTool, {
      base_id: CRM,
      table: 'Sparse',
      metrics: METRICS,
      group_by: 'Group',
    });
    const byGroup = Object.fromEntries(out.groups.map((g) => [g.group, { count: g.count, ...g.values }]));
    expect(byGroup).toEqual({
      // The zero is a value: it counts, pulls the mean down and is the minimum.
      Alpha: { count: 3, 'count(N)': 2, 'sum(N)': 10, 'avg(N)': 5, 'min(N)': 0, 'max(N)': 10 },
      Beta: { count: 2, 'count(N)': 1, 'sum(N)': -4, 'avg(N)': -4, 'min(N)': -4, 'max(N)': -4 },
      // No value at all: nothing to add up, no mean, no extremes.
      'Blanks Only': {
        count: 1,
        'count(N)': 0,
        'sum(N)': 0,
        'avg(N)': null,
        'min(N)': null,
        'max(N)': null,
      },
      [EMPTY_GROUP]: { count: 1, 'count(N)': 1, 'sum(N)': 20, 'avg(N)': 20, 'min(N)': 20, 'max(N)': 20 },
    });
  });

  it('takes the earliest and latest date among the records that have one', async () => {
    const out = await kit.run(aggregateRecordsTool, {
      base_id: CRM,
      table: 'Sparse',
      metrics: [
        { op: 'count', field: 'When' },
        { op: 'min', field: 'When' },
        { op: 'max', field: 'When' },
      ],
    });
    expect(out.groups[0]?.values).toEqual({
      'count(When)': 3,
      'min(When)': '2026-01-15',
      'max(When)': '2026-05-20',
    });
  });
});
