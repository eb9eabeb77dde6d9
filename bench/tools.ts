import { setTimeout as sleep } from 'node:timers/promises';
import { createEmulator } from '@airsuite/airtable-emulator';
import { createAirtableGateway, createGatewayEngine } from '@airsuite/airtable-gateway';
import { createMcpServer } from '@airsuite/mcp-server';
import { createCatalogue, OPEN_POLICY, type SafetyPolicy } from '@airsuite/tools';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { getEncoding } from 'js-tiktoken';
import { summarize, timeCalls } from './stats.ts';

const TOKEN = 'bench-token-full-access';
/** What an agent pays for the catalogue in its context: the whole `tools/list` result. */
const TOOLS_LIST_TARGET_CHARS = 14_000;
/** A typical page: 100 records, 6 fields. */
const LIST_OUTPUT_TARGET_CHARS = 25_000;
/** Samples per tool, each on an idle base (Airtable's window is a sliding second). */
const IDLE_SAMPLES = 9;
const IDLE_GAP_MS = 1_100;
const DEAL_FIELDS = ['Deal Name', 'Company', 'Stage', 'Amount', 'Close Date', 'Owner'];

const encoder = getEncoding('cl100k_base');
const tokens = (text: string) => encoder.encode(text).length;

type CallResult = Awaited<ReturnType<Client['callTool']>>;

async function connect(airtable: ReturnType<typeof createAirtableGateway>, policy: SafetyPolicy) {
  const server = createMcpServer({
    tools: createCatalogue(policy),
    policy,
    contextFor: () => ({ airtable, caller: { id: 'bench' } }),
  });
  const client = new Client({ name: 'bench', version: '1.0.0' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return {
    client,
    async close() {
      await client.close();
      await server.close();
    },
  };
}

/** The size of `tools/list` as a model sees it, whole and per tool. */
async function toolsListSize(client: Client) {
  const result = await client.listTools();
  const json = JSON.stringify(result);
  const perTool = result.tools
    .map((tool) => ({
      name: tool.name,
      chars: JSON.stringify(tool).length,
      descriptionChars: (tool.description ?? '').length,
      inputSchemaChars: JSON.stringify(tool.inputSchema).length,
      outputSchemaChars: tool.outputSchema ? JSON.stringify(tool.outputSchema).length : 0,
      tokens: tokens(JSON.stringify(tool)),
    }))
    .sort((a, b) => b.chars - a.chars);
  return { tools: result.tools.length, chars: json.length, tokens: tokens(json), perTool };
}

function textOf(result: CallResult): string {
  return (result.content as { type: string; text?: string }[])
    .map((c) => (c.type === 'text' ? (c.text ?? '') : ''))
    .join('\n');
}

function outputSize(result: CallResult) {
  if (result.isError) throw new Error(`tool call failed: ${textOf(result)}`);
  const text = textOf(result);
  const structured = JSON.stringify(result.structuredContent ?? null);
  return {
    textChars: text.length,
    textTokens: tokens(text),
    structuredChars: structured.length,
    structuredTokens: tokens(structured),
  };
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallResult> {
  const result = (await client.callTool({ name, arguments: args })) as CallResult;
  if (result.isError) throw new Error(`${name} failed: ${textOf(result)}`);
  return result;
}

/**
 * The MCP face's costs, over the sample emulator with Airtable's real limits (5/s per base,
 * 50/s per owner): what `tools/list` and typical results weigh in an agent's context, and
 * what a tool call costs in time through server, tools, client and gateway on an idle base.
 */
export async function benchTools() {
  const emulator = await createEmulator({
    port: 0,
    seed: 'sample',
    tokens: [TOKEN],
    rateLimits: { enabled: true, perBase: 5, perOwner: 50, penaltyMs: 30_000 },
  });
  const engine = await createGatewayEngine({ upstreamUrl: emulator.url });
  const airtable = createAirtableGateway({ engine, token: TOKEN });
  const full = await connect(airtable, OPEN_POLICY);
  const readOnly = await connect(airtable, { readOnly: true });
  try {
    const fullList = await toolsListSize(full.client);
    const readOnlyList = await toolsListSize(readOnly.client);

    const bases = await airtable.listBases();
    const crm = bases.find((b) => b.name === 'Sales CRM');
    if (!crm) throw new Error('the sample seed has no Sales CRM base');

    const page = await call(full.client, 'list_records', {
      base_id: crm.id,
      table: 'Deals',
      fields: DEAL_FIELDS,
      page_size: 100,
    });
    const returned = (page.structuredContent as { returned: number }).returned;
    const listRecords = { returned, fields: DEAL_FIELDS.length, ...outputSize(page) };

    const describeBase: Record<string, Record<string, ReturnType<typeof outputSize>>> = {};
    for (const base of bases) {
      const levels: Record<string, ReturnType<typeof outputSize>> = {};
      for (const detail of ['summary', 'fields', 'full']) {
        levels[detail] = outputSize(await call(full.client, 'describe_base', { base_id: base.id, detail }));
      }
      describeBase[base.name] = levels;
    }

    const recordIds = (page.structuredContent as { records: { id: string }[] }).records.map((r) => r.id);
    const calls: Record<string, (i: number) => Promise<unknown>> = {
      list_records: (i) =>
        call(full.client, 'list_records', {
          base_id: crm.id,
          table: 'Deals',
          fields: DEAL_FIELDS,
          page_size: 20,
          // A distinct query each time, so the record cache does not answer it.
          formula: `NOT({Deal Name} = 'bench-${i}')`,
        }),
      get_record: (i) =>
        call(full.client, 'get_record', {
          base_id: crm.id,
          table: 'Deals',
          record_id: recordIds[i % recordIds.length],
        }),
      count_records: (i) =>
        call(full.client, 'count_records', {
          base_id: crm.id,
          table: 'Deals',
          formula: `NOT({Deal Name} = 'bench-count-${i}')`,
        }),
      // What an agent does first: learn the base, read, count, open one record.
      agent_sequence: async (i) => {
        await call(full.client, 'describe_base', { base_id: crm.id, detail: 'fields' });
        await calls.list_records?.(20_000 + i);
        await calls.count_records?.(20_000 + i);
        await calls.get_record?.(i + 1);
      },
    };
    // Each sample on a base idle for over a second, at Airtable's real limits: what one agent
    // step costs when nothing else competes for the budget.
    const upstreamCalls = async () =>
      (await engine.metrics.upstreamRequests.get()).values.reduce((sum, v) => sum + v.value, 0);
    const latency: Record<string, ReturnType<typeof summarize> & { upstreamCallsPerSample: number }> = {};
    for (const [name, run] of Object.entries(calls)) {
      const samples: number[] = [];
      const before = await upstreamCalls();
      for (let i = 0; i < IDLE_SAMPLES; i++) {
        await sleep(IDLE_GAP_MS);
        samples.push(...(await timeCalls(1, () => run(10_000 + i))));
      }
      // More than 5 upstream calls in one sample must spread over a second: Airtable's rule.
      const upstreamCallsPerSample =
        Math.round((((await upstreamCalls()) - before) / IDLE_SAMPLES) * 10) / 10;
      latency[name] = { ...summarize(samples), upstreamCallsPerSample };
    }

    const stats = emulator.admin.stats() as { rateLimited: number };
    return {
      toolsList: { full: fullList, readOnly: readOnlyList },
      outputs: { listRecords100x6: listRecords, describeBase },
      latency,
      upstream429s: stats.rateLimited,
      targets: {
        toolsListCharsBelow: TOOLS_LIST_TARGET_CHARS,
        listRecordsCharsBelow: LIST_OUTPUT_TARGET_CHARS,
        met: {
          toolsList: fullList.chars < TOOLS_LIST_TARGET_CHARS,
          toolsListOverBy: Math.max(0, fullList.chars - TOOLS_LIST_TARGET_CHARS),
          listRecords:
            listRecords.textChars < LIST_OUTPUT_TARGET_CHARS &&
            listRecords.structuredChars < LIST_OUTPUT_TARGET_CHARS,
        },
      },
    };
  } finally {
    await full.close();
    await readOnly.close();
    await airtable.close();
    await engine.close();
    await emulator.close();
  }
}
