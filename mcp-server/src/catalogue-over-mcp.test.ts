import { createAirtableGateway, createGatewayEngine } from '@airsuite/airtable-gateway';
import { createEmulator, type RunningEmulator } from '@airsuite/airtable-gateway/emulator';
import { createCatalogue, OPEN_POLICY } from '@airsuite/tools';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMcpServer } from './create-mcp-server.ts';

const TOKEN = 'catalogue-over-mcp-token';
const CRM = 'appJRG6RjcS0ZVuqz';
let emulator: RunningEmulator;
let close: () => Promise<void>;
let client: Client;

beforeAll(async () => {
  emulator = await createEmulator({
    port: 0,
    seed: 'sample',
    tokens: [TOKEN],
    rateLimits: { enabled: true, perBase: 50, perOwner: 200, penaltyMs: 2000 },
  });
  const engine = await createGatewayEngine({
    upstreamUrl: emulator.url,
    perBaseLimit: 50,
    perOwnerLimit: 200,
  });
  const airtable = createAirtableGateway({ engine, token: TOKEN });
  const server = createMcpServer({
    tools: createCatalogue(OPEN_POLICY),
    policy: OPEN_POLICY,
    contextFor: () => ({ airtable, caller: { id: 'test' } }),
  });
  client = new Client({ name: 'test', version: '1.0.0' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  close = async () => {
    await client.close();
    await airtable.close();
    await engine.close();
    await emulator.close();
  };
});
afterAll(async () => {
  await close();
});

const text = (result: Record<string, unknown>) =>
  ((result.content as { text: string }[])[0]?.text ?? '') as string;

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
    const before = await (await fetch(`${emulator.url}/__emulator/export`)).text();
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
    expect(await (await fetch(`${emulator.url}/__emulator/export`)).text()).toBe(before);
  });
});
