import { describe, expect, it } from 'vitest';
import { createRecordsTool } from './create-records.ts';
import { CRM, toolError, useWriteKit } from './test-kit.ts';

const kit = useWriteKit();

describe('create_records', () => {
  it('creates 250 records in batches with monotonic progress', async () => {
    const ctx = kit.context();
    const before = (await kit.records('Companies')).length;
    const records = Array.from({ length: 250 }, (_, i) => ({
      fields: { Name: `Bulk Co ${i}`, Employees: i },
    }));
    const out = await createRecordsTool.handler({ base_id: CRM, table: 'Companies', records }, ctx);
    expect(out.ok).toBe(true);
    expect(out.created).toBe(250);
    expect(
      out.records.every((r, i) => r.index === i && r.status === 'created' && r.id?.startsWith('rec')),
    ).toBe(true);
    expect(ctx.updates.length).toBe(25);
    expect(ctx.updates.every((u) => u.total === 250)).toBe(true);
    const progress = ctx.updates.map((u) => u.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(250);
    const after = await kit.records('Companies');
    expect(after.length).toBe(before + 250);
    const names = new Set(after.map((r) => r.fields.Name));
    expect(records.every((r) => names.has(r.fields.Name))).toBe(true);
  });

  it('writes friendly values: select names, linked ids, ISO dates, attachments as name + url', async () => {
    const [company] = await kit.records('Companies');
    const out = await createRecordsTool.handler(
      {
        base_id: CRM,
        table: 'Deals',
        records: [
          {
            fields: {
              'Deal Name': 'Friendly deal',
              Stage: 'Proposal',
              Company: company?.id,
              'Close Date': '2026-12-01',
              Amount: 1200,
            },
          },
        ],
      },
      kit.context(),
    );
    expect(out.ok).toBe(true);
    const logo = await createRecordsTool.handler(
      {
        base_id: CRM,
        table: 'companies',
        records: [
          { fields: { name: 'Logo Co', Logo: [{ name: 'logo.png', url: 'https://example.com/logo.png' }] } },
        ],
      },
      kit.context(),
    );
    expect(logo.ok).toBe(true);
    const deal = (await kit.records('Deals')).find((r) => r.id === out.records[0]?.id);
    expect(deal?.fields).toMatchObject({
      Stage: 'Proposal',
      Company: [company?.id],
      'Close Date': '2026-12-01',
    });
  });

  it('rejects an unknown field before writing, with a suggestion', async () => {
    const before = await kit.snapshot();
    const error = await toolError(
      createRecordsTool.handler(
        {
          base_id: CRM,
          table: 'Deals',
          records: [{ fields: { 'Deal Name': 'x' } }, { fields: { Amout: 5 } }],
        },
        kit.context(),
      ),
    );
    expect(error.code).toBe('TOOL_UNKNOWN_FIELD');
    expect(error.message).toContain('Did you mean "Amount"');
    expect(error.details?.fields).toContain('Deal Name');
    expect(await kit.snapshot()).toEqual(before);
  });

  it('refuses computed fields and wrongly typed values, naming the type', async () => {
    const computed = await toolError(
      createRecordsTool.handler(
        { base_id: CRM, table: 'Deals', records: [{ fields: { 'Weighted Amount': 5 } }] },
        kit.context(),
      ),
    );
    expect(computed.code).toBe('TOOL_INVALID_INPUT');
    expect(computed.details?.type).toBe('formula');
    const typed = await toolError(
      createRecordsTool.handler(
        { base_id: CRM, table: 'Deals', records: [{ fields: { Amount: 'lots' } }] },
        kit.context(),
      ),
    );
    expect(typed.code).toBe('TOOL_INVALID_INPUT');
    expect(typed.details?.type).toBe('currency');
  });

  it('dry_run returns what would be created and writes nothing', async () => {
    const before = await kit.snapshot();
    const out = await createRecordsTool.handler(
      {
        base_id: CRM,
        table: 'Deals',
        records: [{ fields: { 'Deal Name': 'Dry', Stage: 'Lead' } }],
        dry_run: true,
      },
      kit.context(),
    );
    expect(out).toMatchObject({
      ok: true,
      dry_run: true,
      created: 0,
      would_create: [{ 'Deal Name': 'Dry', Stage: 'Lead' }],
    });
    expect(await kit.snapshot()).toEqual(before);
  });

  it('reports a partial failure record by record', async () => {
    const records = Array.from({ length: 25 }, (_, i) => ({
      fields: { 'Deal Name': `Partial ${i}`, Stage: i === 15 ? 'No Such Stage' : 'Lead' },
    }));
    const out = await createRecordsTool.handler({ base_id: CRM, table: 'Deals', records }, kit.context());
    expect(out.ok).toBe(false);
    expect(out.created).toBe(10);
    expect(out.records.slice(0, 10).every((r) => r.status === 'created')).toBe(true);
    expect(out.records.slice(10, 20).every((r) => r.status === 'failed' && r.error)).toBe(true);
    expect(out.records.slice(20).every((r) => r.status === 'not_attempted')).toBe(true);
    expect(out.summary).toContain('0–9');
    const names = new Set((await kit.records('Deals')).map((r) => r.fields['Deal Name']));
    expect(names.has('Partial 9')).toBe(true);
    expect(names.has('Partial 10')).toBe(false);
  });

  it('is refused under a read-only policy and outside the allow-lists', async () => {
    const records = [{ fields: { 'Deal Name': 'x' } }];
    const ro = await toolError(
      createRecordsTool.handler({ base_id: CRM, table: 'Deals', records }, kit.context({ readOnly: true })),
    );
    expect(ro.code).toBe('TOOL_READ_ONLY');
    const base = await toolError(
      createRecordsTool.handler(
        { base_id: CRM, table: 'Deals', records },
        kit.context({ readOnly: false, allowedBases: ['appOther'] }),
      ),
    );
    expect(base.code).toBe('TOOL_NOT_ALLOWED');
    const table = await toolError(
      createRecordsTool.handler(
        { base_id: CRM, table: 'Deals', records },
        kit.context({ readOnly: false, allowedTables: ['Companies'] }),
      ),
    );
    expect(table.code).toBe('TOOL_NOT_ALLOWED');
  });

  it('names unknown tables with a suggestion', async () => {
    const error = await toolError(
      createRecordsTool.handler({ base_id: CRM, table: 'Deal', records: [{ fields: {} }] }, kit.context()),
    );
    expect(error.code).toBe('TOOL_UNKNOWN_TABLE');
  });
});
