import { getEncoding } from 'js-tiktoken';
import { describe, expect, it } from 'vitest';
import { readTools } from '../read-tools.ts';
import { describeBaseTool } from './describe-base.ts';
import { describeTableTool } from './describe-table.ts';
import { listBasesTool } from './list-bases.ts';
import { CRM, useReadKit } from './test-kit.ts';

const kit = useReadKit();

describe('catalogue', () => {
  it('keeps every read tool small and read-only', () => {
    let total = 0;
    const sizes: string[] = [];
    for (const tool of readTools) {
      const listed = JSON.stringify({
        name: tool.name,
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema.toJSONSchema(),
      });
      total += listed.length;
      sizes.push(`${tool.name} ${listed.length}`);
      expect(tool.writes).toBe(false);
      expect(tool.annotations).toMatchObject({
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
      });
    }
    console.log(`read tools listed: ${total} chars (${sizes.join(', ')})`);
    expect(total).toBeLessThan(8000);
  });
});

describe('list_bases', () => {
  it('lists the bases, filtered by the allow-list', async () => {
    const all = await kit.run(listBasesTool, {});
    expect(all.bases.map((b) => b.id)).toContain(CRM);
    expect(all.bases.length).toBeGreaterThan(1);
    const only = await kit.run(listBasesTool, {}, { readOnly: true, allowedBases: [CRM] });
    expect(only.bases.map((b) => b.id)).toEqual([CRM]);
  });
});

describe('describe_base', () => {
  it('is cheap at summary level and rich at full level', async () => {
    const summary = await kit.run(describeBaseTool, { base_id: CRM });
    expect(summary.tables.map((t) => t.name)).toEqual(['Companies', 'Contacts', 'Deals']);
    expect(summary.tables[0]?.fields).toBeUndefined();
    const full = await kit.run(describeBaseTool, { base_id: CRM, detail: 'full' });
    const deals = full.tables.find((t) => t.name === 'Deals');
    expect(deals?.fields?.find((f) => f.name === 'Stage')?.choices).toContain('Closed Won');
    expect(deals?.fields?.find((f) => f.name === 'Company')?.links_to).toBe('Companies');
    expect(deals?.views?.length).toBeGreaterThan(0);
    const rendered = describeBaseTool.render?.(summary) ?? '';
    console.log(
      `describe_base summary: ${rendered.length} chars; full: ${describeBaseTool.render?.(full).length}`,
    );
    expect(rendered.length).toBeLessThan(600);
  });

  it('costs a few hundred tokens for a 60-table base at summary level', async () => {
    const tables = Array.from({ length: 60 }, (_, i) => ({
      name: `Table ${String(i + 1).padStart(2, '0')} ${['Orders', 'Customers', 'Invoices', 'Shipments'][i % 4]}`,
      fields: Array.from({ length: 8 + (i % 5) }, (_, j) => ({
        name: `Field ${j}`,
        type: 'singleLineText' as const,
      })),
    }));
    const res = await fetch(`${kit.emulator().url}/__emulator/bases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ bases: [{ id: 'appSixtyTables000', name: 'Sixty', tables }] }),
    });
    expect(res.status).toBe(200);
    const summary = await kit.run(describeBaseTool, { base_id: 'appSixtyTables000' });
    expect(summary.tables).toHaveLength(60);
    const tokens = getEncoding('cl100k_base').encode(describeBaseTool.render?.(summary) ?? '').length;
    console.log(`describe_base summary of 60 tables: ${tokens} tokens`);
    expect(tokens).toBeLessThan(700);
  });

  it('refuses a base outside the allow-list and an unknown base', async () => {
    await kit.fails(describeBaseTool, { base_id: CRM }, 'TOOL_NOT_ALLOWED', {
      readOnly: true,
      allowedBases: ['appOther'],
    });
    await kit.fails(describeBaseTool, { base_id: 'appDoesNotExist01' }, 'TOOL_UNKNOWN_BASE');
  });

  it('hides tables outside the allow-list', async () => {
    const out = await kit.run(
      describeBaseTool,
      { base_id: CRM },
      { readOnly: true, allowedTables: ['Deals'] },
    );
    expect(out.tables.map((t) => t.name)).toEqual(['Deals']);
  });
});

describe('describe_table', () => {
  it('describes one table', async () => {
    const out = await kit.run(describeTableTool, { base_id: CRM, table: 'contacts' });
    expect(out.table.name).toBe('Contacts');
    expect(out.table.fields?.map((f) => f.name)).toContain('Full Name');
  });

  it('suggests the closest table name and refuses hidden tables', async () => {
    const error = await kit.fails(describeTableTool, { base_id: CRM, table: 'Deal' }, 'TOOL_UNKNOWN_TABLE');
    expect(error.details?.tables).toContain('Deals');
    await kit.fails(describeTableTool, { base_id: CRM, table: 'Deals' }, 'TOOL_NOT_ALLOWED', {
      readOnly: true,
      allowedTables: [`${CRM}/Companies`],
    });
  });
});
