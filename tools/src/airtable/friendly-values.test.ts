import { describe, expect, it } from 'vitest';
import { useReadKit } from '../read/test-kit.ts';
import { decodeCursor, encodeCursor, queryFingerprint } from './cursor.ts';
import { friendlyRecords, LINK_LOOKUP_CHUNK } from './friendly-values.ts';
import { loadTable } from './schema.ts';

const kit = useReadKit();
const CRM = 'appJRG6RjcS0ZVuqz';

describe('friendlyRecords', () => {
  it('names every linked record, across lookup chunks, and shortens attachments', async () => {
    const ctx = kit.context();
    const { schema, table } = await loadTable(ctx, CRM, 'Companies');
    const records = await ctx.airtable.listRecords(CRM, table.id);
    const friendly = await friendlyRecords(ctx, CRM, schema, table, records);
    const links = friendly.flatMap(
      (r) => (r.fields.Deals as { id: string; name?: string }[] | undefined) ?? [],
    );
    expect(links.length).toBeGreaterThan(LINK_LOOKUP_CHUNK);
    const deals = new Map(
      (await ctx.airtable.listRecords(CRM, 'Deals')).map((d) => [d.id, d.fields['Deal Name'] as string]),
    );
    for (const link of links) expect(link.name).toBe(deals.get(link.id));
    const logos = friendly.flatMap((r) => (r.fields.Logo as object[] | undefined) ?? []);
    for (const logo of logos) expect(Object.keys(logo).sort()).toEqual(['filename', 'url']);
  });

  it('leaves links into hidden tables unnamed', async () => {
    const ctx = kit.context({ readOnly: true, allowedTables: ['Companies'] });
    const { schema, table } = await loadTable(ctx, CRM, 'Companies');
    const records = await ctx.airtable.listRecords(CRM, table.id, { maxRecords: 5 });
    const friendly = await friendlyRecords(ctx, CRM, schema, table, records);
    for (const r of friendly)
      for (const link of (r.fields.Deals as object[] | undefined) ?? [])
        expect(Object.keys(link)).toEqual(['id']);
  });
});

describe('cursor', () => {
  it('round-trips and refuses garbage or another query', () => {
    const f = queryFingerprint({ table: 'a' });
    expect(decodeCursor(encodeCursor(150, f), f)).toEqual({ position: 150 });
    expect(decodeCursor(encodeCursor(150, f, 'itrA/recB'), f)).toEqual({
      position: 150,
      offset: 'itrA/recB',
    });
    expect(() => decodeCursor('%%%', f)).toThrow(expect.objectContaining({ code: 'TOOL_INVALID_CURSOR' }));
    expect(() => decodeCursor(encodeCursor(-1, f), f)).toThrow(
      expect.objectContaining({ code: 'TOOL_INVALID_CURSOR' }),
    );
    expect(() => decodeCursor(encodeCursor(5, f), queryFingerprint({ table: 'b' }))).toThrow(
      expect.objectContaining({ code: 'TOOL_INVALID_CURSOR' }),
    );
  });
});
