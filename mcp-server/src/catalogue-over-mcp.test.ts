import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CatalogueClient,
  SAMPLE_CRM as CRM,
  startCatalogueClient,
  resultText as text,
} from './catalogue-client-kit.ts';

let kit: CatalogueClient;
let client: Client;

beforeAll(async () => {
  kit = await startCatalogueClient('catalogue-over-mcp-token');
  client = kit.client;
});
afterAll(async () => {
  await kit.close();
});

describe('the Airtable catalogue through a real MCP client', () => {
  it('creates 250 records with progress notifications, then counts them', async () => {
    const table = await client.callTool({
      name: 'create_table',
      arguments: { base_id: CRM, name: 'Imports', fields: [{ name: 'Name', type: 'singleLineText' }] },
    });
    expect(table.isError).toBeFalsy();
    const progress: number[] = [];
    const created = await client.callTool(
      {
        name: 'create_records',
        arguments: {
          base_id: CRM,
          table: 'Imports',
          records: Array.from({ length: 250 }, (_, i) => ({ fields: { Name: `Row ${i}` } })),
        },
      },
      undefined,
      { onprogress: (p) => void progress.push(p.progress) },
    );
    expect(created.isError).toBeFalsy();
    expect(progress.length).toBeGreaterThanOrEqual(5);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(250);
    const counted = await client.callTool({
      name: 'count_records',
      arguments: { base_id: CRM, table: 'Imports' },
    });
    expect(counted.structuredContent).toMatchObject({ count: 250 });
  }, 60_000);

  it('answers a misspelt field with isError, its code and the closest real field', async () => {
    const result = await client.callTool({
      name: 'list_records',
      arguments: { base_id: CRM, table: 'Deals', fields: ['Ammount'] },
    });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/^TOOL_UNKNOWN_FIELD: /);
    expect(text(result)).toContain('Amount');
  });

  it('previews an update with dry_run and writes nothing', async () => {
    const listed = await client.callTool({
      name: 'list_records',
      arguments: { base_id: CRM, table: 'Companies', page_size: 1, fields: ['Name'] },
    });
    const [first] = (listed.structuredContent as { records: { id: string }[] }).records;
    const before = await (await fetch(`${kit.emulator.url}/__emulator/export`)).text();
    const preview = await client.callTool({
      name: 'update_records',
      arguments: {
        base_id: CRM,
        table: 'Companies',
        records: [{ id: first?.id, fields: { Name: 'Renamed Co' } }],
        dry_run: true,
      },
    });
    expect(preview.isError).toBeFalsy();
    expect(JSON.stringify(preview.structuredContent)).toContain('Renamed Co');
    expect(await (await fetch(`${kit.emulator.url}/__emulator/export`)).text()).toBe(before);
  });
});
