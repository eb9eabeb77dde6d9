import { beforeAll, describe, expect, it } from 'vitest';
import { aggregateRecordsTool } from './aggregate-records.ts';
import { countRecordsTool } from './count-records.ts';
import { listRecordsTool } from './list-records.ts';
import { CRM, useReadKit } from './test-kit.ts';

const kit = useReadKit();
const BULK = 1_050;
const GROUPS = ['Alpha', 'Beta', 'Gamma'];

beforeAll(async () => {
  const airtable = kit.airtable();
  const table = await airtable.createTable(CRM, {
    name: 'Bulk',
    fields: [
      { name: 'Name', type: 'singleLineText' },
      { name: 'N', type: 'number', options: { precision: 0 } },
      { name: 'Group', type: 'singleSelect', options: { choices: GROUPS.map((name) => ({ name })) } },
    ],
  });
  const result = await airtable.createMany(
    CRM,
    table.id,
    Array.from({ length: BULK }, (_, i) => ({
      fields: { Name: `Row ${i}`, N: (i * 37) % 1000, Group: GROUPS[i % 3] },
    })),
  );
  expect(result.written).toBe(BULK);
}, 60_000);

describe('list_records pagination', () => {
  it('walks 1,050 records with cursors: none lost, none twice', async () => {
    const seen = new Set<string>();
    let cursor: string | undefined;
    let calls = 0;
    do {
      const out = await kit.run(listRecordsTool, { base_id: CRM, table: 'Bulk', page_size: 100, cursor });
      calls++;
      for (const r of out.records) seen.add(r.id);
      expect(out.returned).toBe(out.records.length);
      expect(out.has_more).toBe(out.cursor !== undefined);
      if (out.has_more) expect(out.note).toContain(out.cursor);
      cursor = out.cursor;
    } while (cursor);
    expect(seen.size).toBe(BULK);
    expect(calls).toBe(11);
  }, 60_000);

  it("continues from Airtable's offset: one upstream list call per page", async () => {
    const upstream = async () => {
      const stats = (await (await fetch(`${kit.emulator().url}/__emulator/stats`)).json()) as {
        byBase: Record<string, { requests: number }>;
      };
      return stats.byBase[CRM]?.requests ?? 0;
    };
    await kit.run(listRecordsTool, { base_id: CRM, table: 'Bulk', page_size: 100 });
    const before = await upstream();
    let cursor: string | undefined = (
      await kit.run(listRecordsTool, { base_id: CRM, table: 'Bulk', page_size: 100 })
    ).cursor;
    let pages = 1;
    while (cursor) {
      cursor = (await kit.run(listRecordsTool, { base_id: CRM, table: 'Bulk', page_size: 100, cursor }))
        .cursor;
      pages++;
    }
    expect(pages).toBe(11);
    // The first page may come from the 5 s record cache (the same query ran just before).
    expect((await upstream()) - before).toBeGreaterThanOrEqual(10);
    expect((await upstream()) - before).toBeLessThanOrEqual(11);
  }, 60_000);

  it('still returns every record once when Airtable forgets the offset mid-walk', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let page = 0;
    do {
      const out = await kit.run(listRecordsTool, { base_id: CRM, table: 'Bulk', page_size: 100, cursor });
      seen.push(...out.records.map((r) => r.id));
      cursor = out.cursor;
      if (++page % 3 === 0)
        await fetch(`${kit.emulator().url}/__emulator/iterators/expire`, { method: 'POST' });
    } while (cursor);
    expect(seen).toHaveLength(BULK);
    expect(new Set(seen).size).toBe(BULK);
  }, 60_000);

  it('pages a filtered, sorted listing in order', async () => {
    const query = {
      base_id: CRM,
      table: 'Bulk',
      filter: [{ field: 'Group', op: 'equals', value: 'beta' }],
      sort: [{ field: 'N', direction: 'asc' as const }],
      page_size: 90,
    };
    const first = await kit.run(listRecordsTool, query);
    const second = await kit.run(listRecordsTool, { ...query, cursor: first.cursor });
    const ns = [...first.records, ...second.records].map((r) => r.fields.N as number);
    expect(ns).toEqual([...ns].sort((a, b) => a - b));
    expect(new Set([...first.records, ...second.records].map((r) => r.id)).size).toBe(180);
    await kit.fails(listRecordsTool, { ...query, filter: [], cursor: first.cursor }, 'TOOL_INVALID_CURSOR');
  }, 30_000);
});

describe('count_records and aggregate_records', () => {
  it('counts exactly, with and without a filter', async () => {
    const all = await kit.run(countRecordsTool, { base_id: CRM, table: 'Bulk' });
    expect(all.count).toBe(BULK);
    const big = await kit.run(countRecordsTool, {
      base_id: CRM,
      table: 'Bulk',
      filter: [{ field: 'N', op: 'gte', value: 500 }],
    });
    const manual = (await kit.airtable().listRecords(CRM, 'Bulk')).filter(
      (r) => (r.fields.N as number) >= 500,
    );
    expect(big.count).toBe(manual.length);
    await kit.fails(
      countRecordsTool,
      { base_id: CRM, table: 'Bulk', filter: [{ field: 'M', op: 'gt', value: 1 }] },
      'TOOL_UNKNOWN_FIELD',
    );
  }, 30_000);

  it('aggregates exactly over all pages, grouped', async () => {
    const records = await kit.airtable().listRecords(CRM, 'Bulk');
    const out = await kit.run(aggregateRecordsTool, {
      base_id: CRM,
      table: 'Bulk',
      metrics: [
        { op: 'count' },
        { op: 'sum', field: 'N' },
        { op: 'avg', field: 'N' },
        { op: 'min', field: 'N' },
        { op: 'max', field: 'N' },
      ],
      group_by: 'Group',
    });
    expect(out.records_scanned).toBe(BULK);
    for (const g of GROUPS) {
      const ns = records.filter((r) => r.fields.Group === g).map((r) => r.fields.N as number);
      const group = out.groups.find((x) => x.group === g);
      expect(group?.count).toBe(ns.length);
      expect(group?.values['sum(N)']).toBe(ns.reduce((a, b) => a + b, 0));
      expect(group?.values['avg(N)']).toBeCloseTo(ns.reduce((a, b) => a + b, 0) / ns.length, 9);
      expect(group?.values['min(N)']).toBe(Math.min(...ns));
      expect(group?.values['max(N)']).toBe(Math.max(...ns));
    }
  }, 30_000);

  it('answers "closed-won amount by owner in Q3" in one call, matching a manual computation', async () => {
    const out = await kit.run(aggregateRecordsTool, {
      base_id: CRM,
      table: 'Deals',
      metrics: [{ op: 'count' }, { op: 'sum', field: 'Amount' }],
      group_by: 'Owner',
      filter: [
        { field: 'Stage', op: 'equals', value: 'Closed Won' },
        { field: 'Close Date', op: 'between', value: ['2026-07-01', '2026-09-30'] },
      ],
    });
    const deals = (await kit.airtable().listRecords(CRM, 'Deals')).filter(
      (r) =>
        r.fields.Stage === 'Closed Won' &&
        typeof r.fields['Close Date'] === 'string' &&
        (r.fields['Close Date'] as string) >= '2026-07-01' &&
        (r.fields['Close Date'] as string) <= '2026-09-30',
    );
    expect(deals.length).toBeGreaterThan(0);
    expect(out.records_scanned).toBe(deals.length);
    const byOwner = new Map<string, number>();
    for (const d of deals) {
      const owner = (d.fields.Owner as string | undefined) ?? '(empty)';
      byOwner.set(owner, (byOwner.get(owner) ?? 0) + ((d.fields.Amount as number | undefined) ?? 0));
    }
    expect(Object.fromEntries(out.groups.map((g) => [g.group, g.values['sum(Amount)']]))).toEqual(
      Object.fromEntries(byOwner),
    );
    console.log(`aggregate render: ${aggregateRecordsTool.render?.(out).length} chars`);
  });

  it('groups by a link field by name, and refuses metrics that do not fit', async () => {
    const out = await kit.run(aggregateRecordsTool, { base_id: CRM, table: 'Deals', group_by: 'Company' });
    expect(out.groups.some((g) => /\(rec[A-Za-z0-9]+\)$/.test(g.group ?? ''))).toBe(true);
    await kit.fails(
      aggregateRecordsTool,
      { base_id: CRM, table: 'Deals', metrics: [{ op: 'sum', field: 'Stage' }] },
      'TOOL_INVALID_INPUT',
    );
    await kit.fails(
      aggregateRecordsTool,
      { base_id: CRM, table: 'Deals', group_by: 'Ownr' },
      'TOOL_UNKNOWN_FIELD',
    );
    await kit.fails(aggregateRecordsTool, { base_id: CRM, table: 'Deals' }, 'TOOL_NOT_ALLOWED', {
      readOnly: true,
      allowedBases: ['appSomethingElse'],
    });
  });
});
