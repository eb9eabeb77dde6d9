import { describe, expect, it } from 'vitest';
import { createRecordsTool } from './create-records.ts';
import { CRM, toolError, useWriteKit } from './test-kit.ts';
import { updateRecordsTool } from './update-records.ts';

const kit = useWriteKit();

async function someDeals(n: number) {
  const out = await createRecordsTool.handler(
    {
      base_id: CRM,
      table: 'Deals',
      records: Array.from({ length: n }, (_, i) => ({
        fields: { 'Deal Name': `Upd ${i}`, Stage: 'Lead', Amount: i },
      })),
    },
    kit.context(),
  );
  return out.records.map((r) => r.id as string);
}

describe('update_records', () => {
  it('patches records, keeping fields not sent, with progress', async () => {
    const ids = await someDeals(12);
    const ctx = kit.context();
    const out = await updateRecordsTool.handler(
      { base_id: CRM, table: 'Deals', records: ids.map((id) => ({ id, fields: { Stage: 'Qualified' } })) },
      ctx,
    );
    expect(out).toMatchObject({ ok: true, updated: 12, created: 0, total: 12 });
    expect(ctx.updates.map((u) => u.progress)).toEqual([10, 12]);
    const deals = (await kit.records('Deals')).filter((r) => ids.includes(r.id));
    expect(
      deals.every((d) => d.fields.Stage === 'Qualified' && String(d.fields['Deal Name']).startsWith('Upd')),
    ).toBe(true);
  });

  it('dry_run returns a per-field diff and writes nothing', async () => {
    const [a, b] = await someDeals(2);
    const before = await kit.snapshot();
    const out = await updateRecordsTool.handler(
      {
        base_id: CRM,
        table: 'Deals',
        records: [
          { id: a as string, fields: { Stage: 'Proposal', Amount: 0 } },
          { id: b as string, fields: { 'Deal Name': 'Renamed' } },
          { id: 'recDoesNotExist00', fields: { Stage: 'Lead' } },
        ],
        dry_run: true,
      },
      kit.context(),
    );
    expect(out.dry_run).toBe(true);
    expect(out.ok).toBe(false);
    expect(out.diff).toEqual([
      { index: 0, id: a, action: 'update', changes: { Stage: { from: 'Lead', to: 'Proposal' } } },
      { index: 1, id: b, action: 'update', changes: { 'Deal Name': { from: 'Upd 1', to: 'Renamed' } } },
      { index: 2, id: 'recDoesNotExist00', action: 'not_found' },
    ]);
    expect(await kit.snapshot()).toEqual(before);
  });

  it('upserts by a merge field: matches are updated, the rest created', async () => {
    await createRecordsTool.handler(
      { base_id: CRM, table: 'Companies', records: [{ fields: { Name: 'Upsert Existing', Employees: 1 } }] },
      kit.context(),
    );
    const records = [
      { fields: { Name: 'Upsert Existing', Employees: 2 } },
      { fields: { Name: 'Upsert New', Employees: 3 } },
    ];
    const before = await kit.snapshot();
    const dry = await updateRecordsTool.handler(
      { base_id: CRM, table: 'Companies', records, merge_on: ['Name'], dry_run: true },
      kit.context(),
    );
    expect(dry.diff?.map((d) => d.action)).toEqual(['update', 'create']);
    expect(dry.diff?.[0]?.changes).toEqual({ Employees: { from: 1, to: 2 } });
    expect(await kit.snapshot()).toEqual(before);

    const out = await updateRecordsTool.handler(
      { base_id: CRM, table: 'Companies', records, merge_on: ['name'] },
      kit.context(),
    );
    expect(out).toMatchObject({ ok: true, updated: 1, created: 1 });
    expect(out.records.map((r) => r.status)).toEqual(['updated', 'created']);
    const rows = (await kit.records('Companies')).filter((r) => String(r.fields.Name).startsWith('Upsert'));
    expect(rows.map((r) => [r.fields.Name, r.fields.Employees]).sort()).toEqual([
      ['Upsert Existing', 2],
      ['Upsert New', 3],
    ]);
  });

  it('asks for ids (or merge_on) and for merge fields', async () => {
    const noId = await toolError(
      updateRecordsTool.handler(
        { base_id: CRM, table: 'Deals', records: [{ fields: { Stage: 'Lead' } }] },
        kit.context(),
      ),
    );
    expect(noId.code).toBe('TOOL_INVALID_INPUT');
    const noMerge = await toolError(
      updateRecordsTool.handler(
        { base_id: CRM, table: 'Deals', records: [{ fields: { Stage: 'Lead' } }], merge_on: ['Deal Name'] },
        kit.context(),
      ),
    );
    expect(noMerge.code).toBe('TOOL_INVALID_INPUT');
    const badMerge = await toolError(
      updateRecordsTool.handler(
        { base_id: CRM, table: 'Deals', records: [{ fields: { Stage: 'Lead' } }], merge_on: ['Deal Nme'] },
        kit.context(),
      ),
    );
    expect(badMerge.code).toBe('TOOL_UNKNOWN_FIELD');
  });

  it('suggests the closest field and refuses read-only deployments', async () => {
    const unknown = await toolError(
      updateRecordsTool.handler(
        { base_id: CRM, table: 'Deals', records: [{ id: 'recX', fields: { Stag: 'Lead' } }] },
        kit.context(),
      ),
    );
    expect(unknown.code).toBe('TOOL_UNKNOWN_FIELD');
    expect(unknown.message).toContain('"Stage"');
    const ro = await toolError(
      updateRecordsTool.handler(
        { base_id: CRM, table: 'Deals', records: [{ id: 'recX', fields: { Stage: 'Lead' } }] },
        kit.context({ readOnly: true }),
      ),
    );
    expect(ro.code).toBe('TOOL_READ_ONLY');
  });

  it('reports a failed batch per record', async () => {
    const ids = await someDeals(3);
    const out = await updateRecordsTool.handler(
      {
        base_id: CRM,
        table: 'Deals',
        records: [
          ...ids.map((id) => ({ id, fields: { Amount: 7 } })),
          { id: 'recDoesNotExist00', fields: { Amount: 7 } },
        ],
      },
      kit.context(),
    );
    expect(out.ok).toBe(false);
    expect(out.records.every((r) => r.status === 'failed' && r.error)).toBe(true);
    expect(out.updated).toBe(0);
  });
});
