import {
  type AirtableGateway,
  createAirtableGateway,
  createGatewayEngine,
  type GatewayEngine,
} from '@airsuite/airtable-gateway';
import {
  itemsBase,
  type LimitedEmulator,
  startLimitedEmulator,
  TOKEN,
} from '@airsuite/airtable-gateway/acceptance';
import { createCatalogue, OPEN_POLICY } from '@airsuite/tools';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMcpServer } from '../create-mcp-server.ts';

// Acceptance: ten MCP sessions sharing one in-process gateway hammer one base with a mix of
// reads and writes for 30 s under Airtable's real limits (5/s per base, 50/s per owner, 30 s
// penalty). The gateway's defaults (perBaseLimit 5) make the calls queue: no tool call may
// fail and the emulator must never answer 429.

const CLIENTS = 10;
const DURATION_MS = 30_000;
const ROWS = 60;
const OPERATIONS = [
  'list_records',
  'get_record',
  'search_records',
  'count_records',
  'create_records',
  'update_records',
] as const;
type Operation = (typeof OPERATIONS)[number];

interface Session {
  client: Client;
  server: McpServer;
}

let emu: LimitedEmulator;
let engine: GatewayEngine;
let airtable: AirtableGateway;
let baseId: string;
let recordIds: string[] = [];
const sessions: Session[] = [];
const internalErrors: unknown[] = [];

async function connect(): Promise<Session> {
  const server = createMcpServer({
    tools: createCatalogue(OPEN_POLICY),
    policy: OPEN_POLICY,
    contextFor: () => ({ airtable, caller: { id: 'mixed-load' } }),
    onInternalError: (error) => internalErrors.push(error),
  });
  const client = new Client({ name: 'mixed-load', version: '1.0.0' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return { client, server };
}

function argumentsFor(op: Operation, clientIndex: number, n: number): Record<string, unknown> {
  const base = { base_id: baseId, table: 'Items' };
  // Each client works on its own slice of the records, so updates never race each other.
  const own = recordIds.filter((_, i) => i % CLIENTS === clientIndex);
  const record = own[n % own.length];
  switch (op) {
    case 'list_records':
      return { ...base, page_size: 20, fields: ['Name', 'Marker'] };
    case 'get_record':
      return { ...base, record_id: record };
    case 'search_records':
      return { ...base, query: `item-${n % ROWS}`, page_size: 5 };
    case 'count_records':
      return { ...base, formula: `NOT({Name} = 'probe-${clientIndex}-${n}')` };
    case 'create_records':
      return { ...base, records: [{ fields: { Name: `created-${clientIndex}-${n}`, Marker: 'new' } }] };
    case 'update_records':
      return { ...base, records: [{ id: record, fields: { Marker: `client-${clientIndex}-${n}` } }] };
  }
}

beforeAll(async () => {
  emu = await startLimitedEmulator();
  [baseId] = (await emu.loadBases([itemsBase('Mixed load', ROWS)])) as [string];
  // The gateway's real defaults: 5/s per base, 50/s per owner; callers queue.
  engine = await createGatewayEngine({ upstreamUrl: emu.url });
  airtable = createAirtableGateway({ engine, token: TOKEN });
  recordIds = (await airtable.listRecords(baseId, 'Items')).map((r) => r.id);
  for (let i = 0; i < CLIENTS; i++) sessions.push(await connect());
});

afterAll(async () => {
  for (const { client, server } of sessions) {
    await client.close();
    await server.close();
  }
  await airtable?.close();
  await engine?.close();
  await emu?.close();
});

describe('10 MCP clients, one gateway, one base, real limits', () => {
  it('runs 30 s of mixed reads and writes with no failed call and no 429', async () => {
    expect(recordIds).toHaveLength(ROWS);
    const deadline = performance.now() + DURATION_MS;
    const started = performance.now();
    const perClient = await Promise.all(
      sessions.map(async ({ client }, clientIndex) => {
        const tally = { calls: 0, isErrors: [] as string[], thrown: [] as string[] };
        const byTool: Record<string, number> = {};
        for (let n = 0; performance.now() < deadline; n++) {
          const op = OPERATIONS[(n + clientIndex) % OPERATIONS.length] as Operation;
          tally.calls++;
          byTool[op] = (byTool[op] ?? 0) + 1;
          try {
            const result = await client.callTool(
              { name: op, arguments: argumentsFor(op, clientIndex, n) },
              undefined,
              { timeout: 120_000 },
            );
            if (result.isError) {
              const text = (result.content as { text?: string }[])[0]?.text ?? '';
              tally.isErrors.push(`${op}: ${text}`);
            }
          } catch (error) {
            tally.thrown.push(`${op}: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
        return { clientIndex, ...tally, byTool };
      }),
    );
    const elapsedS = (performance.now() - started) / 1000;
    const stats = await emu.stats();
    const totalCalls = perClient.reduce((sum, c) => sum + c.calls, 0);
    const byTool: Record<string, number> = {};
    for (const c of perClient) {
      for (const [tool, count] of Object.entries(c.byTool)) byTool[tool] = (byTool[tool] ?? 0) + count;
    }
    console.log(
      JSON.stringify({
        clients: CLIENTS,
        elapsedS: Math.round(elapsedS * 10) / 10,
        toolCalls: totalCalls,
        toolCallsPerS: Math.round((totalCalls / elapsedS) * 10) / 10,
        byTool,
        perClient: perClient.map((c) => c.calls),
        upstreamRequests: stats.byBase[baseId]?.requests ?? 0,
        upstream429s: stats.rateLimited,
        byStatus: stats.byStatus,
      }),
    );

    for (const c of perClient) {
      expect(c.thrown, `client ${c.clientIndex} threw`).toEqual([]);
      expect(c.isErrors, `client ${c.clientIndex} got isError results`).toEqual([]);
      expect(c.calls).toBeGreaterThan(0);
    }
    expect(internalErrors).toEqual([]);
    expect(stats.rateLimited).toBe(0);
    expect(stats.byStatus['429'] ?? 0).toBe(0);
  });
});
