import { createEmulator, type RunningEmulator } from '@airsuite/airtable-emulator';
import {
  type AirtableGateway,
  createAirtableGateway,
  createGatewayEngine,
  type GatewayEngine,
} from '@airsuite/airtable-gateway';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OPEN_POLICY } from '../core/policy.ts';
import { runTool, type ToolOutcome } from '../core/run-tool.ts';
import type { ToolContext } from '../core/tool-context.ts';
import { listRecordsTool } from '../read/list-records.ts';
import { SAMPLE_CRM as CRM } from '../testing/airtable-rig.ts';
import { createRecordsTool } from '../write/create-records.ts';

const TOKEN = 'schema-refresh-test-token';
/**
 * One token per spec: the gateway caches and refreshes a schema per base and token, so each
 * spec starts outside the one-second window another spec's refresh opened.
 */
const TOKENS = Array.from({ length: 5 }, (_, i) => `${TOKEN}-${i}`);
const SCHEMA_PATH = new RegExp(`/v0/meta/bases/${CRM}/tables$`);

let emulator: RunningEmulator;
let engine: GatewayEngine;
const clients: AirtableGateway[] = [];
let airtable: AirtableGateway;
/** Base-schema reads that reached the emulator. */
let schemaReads = 0;

beforeAll(async () => {
  emulator = await createEmulator({
    port: 0,
    seed: 'sample',
    tokens: [TOKEN, ...TOKENS],
    rateLimits: { enabled: true, perBase: 50, perOwner: 200, penaltyMs: 2000 },
  });
  engine = await createGatewayEngine({
    upstreamUrl: emulator.url,
    perBaseLimit: 50,
    perOwnerLimit: 200,
    fetch: (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if ((init?.method ?? 'GET') === 'GET' && SCHEMA_PATH.test(url.pathname)) schemaReads++;
      return fetch(input, init);
    },
  });
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await engine?.close();
  await emulator?.close();
});

function context(): ToolContext {
  return {
    airtable,
    caller: { id: 'test' },
    policy: OPEN_POLICY,
    progress: () => {},
    log: () => {},
    signal: new AbortController().signal,
  };
}

/** Changes the base behind the gateway's back, straight on the upstream, as Airtable's UI would. */
async function upstream(path: string, body: unknown): Promise<{ id: string }> {
  const res = await fetch(`${emulator.url}/v0/meta/bases/${CRM}/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { id: string };
}

const newTable = (name: string) =>
  upstream('tables', { name, fields: [{ name: 'Name', type: 'singleLineText' }] });

function codeOf(outcome: ToolOutcome): string {
  return outcome.ok ? 'ok' : outcome.code;
}

beforeEach(async () => {
  airtable = createAirtableGateway({ engine, token: TOKENS[clients.length] as string });
  clients.push(airtable);
  // The schema is cached (as in a running server) before the base changes.
  expect(codeOf(await runTool(listRecordsTool, { base_id: CRM, table: 'Deals' }, context()))).toBe('ok');
  schemaReads = 0;
});

describe('a schema change made elsewhere is seen on the very next call', () => {
  it('a table created straight on Airtable is usable by the next call, for one schema read', async () => {
    await newTable('Fresh Leads');
    const started = performance.now();
    const outcome = await runTool(listRecordsTool, { base_id: CRM, table: 'Fresh Leads' }, context());
    const ms = performance.now() - started;
    expect(codeOf(outcome)).toBe('ok');
    expect(schemaReads).toBe(1);
    console.info(`new table usable on the next call, which took ${ms.toFixed(0)} ms`);
  });

  it('a new field is usable by the next read', async () => {
    const deals = (await airtable.getBaseSchema(CRM)).tables.find((t) => t.name === 'Deals')!;
    await upstream(`tables/${deals.id}/fields`, { name: 'Next Step', type: 'singleLineText' });
    const read = await runTool(
      listRecordsTool,
      { base_id: CRM, table: 'Deals', fields: ['Next Step'], page_size: 1 },
      context(),
    );
    expect(codeOf(read)).toBe('ok');
    expect(schemaReads).toBe(1);
  });

  it('a new table is usable by the next write, which writes its record once', async () => {
    await newTable('Callbacks');
    const created = await runTool(
      createRecordsTool,
      { base_id: CRM, table: 'Callbacks', records: [{ fields: { Name: 'Ring Ada' } }] },
      context(),
    );
    expect(codeOf(created)).toBe('ok');
    expect((await airtable.listRecords(CRM, 'Callbacks')).map((r) => r.fields.Name)).toEqual(['Ring Ada']);
  });

  it('ten concurrent calls naming a new table cost one schema read between them', async () => {
    await newTable('Busy Table');
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () =>
        runTool(listRecordsTool, { base_id: CRM, table: 'Busy Table' }, context()),
      ),
    );
    expect(outcomes.map(codeOf)).toEqual(Array(10).fill('ok'));
    expect(schemaReads).toBe(1);
  });

  it('a stream of calls naming a table that does not exist reads the schema at most once a second', async () => {
    await newTable('Quiet Table');
    const started = performance.now();
    const outcomes: ToolOutcome[] = [];
    for (let i = 0; i < 20; i++)
      outcomes.push(await runTool(listRecordsTool, { base_id: CRM, table: 'No Such Table' }, context()));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(outcomes.map(codeOf)).toEqual(Array(20).fill('TOOL_UNKNOWN_TABLE'));
    expect(schemaReads).toBe(1);
    // The answer lists the tables as they are now, not as they were cached.
    const last = outcomes.at(-1);
    expect(!last?.ok && (last?.details?.tables as string[])).toContain('Quiet Table');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await runTool(listRecordsTool, { base_id: CRM, table: 'No Such Table' }, context());
    expect(schemaReads).toBe(2);
  });
});
