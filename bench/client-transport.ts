import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEmulator, type Fixture } from '@airsuite/airtable-emulator';
import { createAirtableGateway, createGatewayEngine } from '@airsuite/airtable-gateway';
import { summarize, timeCalls } from './stats.ts';

// What the in-process client's transport costs, apart from pacing: one record read and one
// list page, sequential, on an idle base whose limits are raised far above the calls made,
// with the record cache off. The emulator runs in this process, so the direct calls (fetch
// straight to the emulator) are the baseline; the client's figures minus them are the
// gateway's own. Run: npx tsx bench/client-transport.ts [calls]

const TOKEN = 'bench-client-transport-token';
const BASE = 'appBenchTransport1';
const TABLE = 'Items';
const ROWS = 200;
const PAGE = 100;
const CALLS = Number(process.argv[2] ?? 500);
const WARM_UP = 200;
const BLOCK = 100;

const fixture: Fixture = {
  version: 1,
  bases: [
    {
      id: BASE,
      name: 'Transport bench',
      tables: [
        {
          name: TABLE,
          fields: [
            { name: 'Name', type: 'singleLineText' },
            { name: 'Index', type: 'number', options: { precision: 0 } },
            { name: 'Notes', type: 'multilineText' },
          ],
          records: Array.from({ length: ROWS }, (_, i) => ({
            fields: { Name: `Row ${i}`, Index: i, Notes: `Some notes for row ${i}` },
          })),
        },
      ],
    },
  ],
};

type Call = (i: number) => Promise<unknown>;

/**
 * Latency percentiles and process CPU (user + system) per call, in ms, for each path. The paths
 * take turns in blocks of BLOCK calls, so JIT warm-up and drift over the run fall on all alike
 * (measured one after the other, whichever ran first came out up to 3x slower).
 */
async function measureInTurns<K extends string>(paths: Record<K, Call>) {
  const names = Object.keys(paths) as K[];
  const samples = new Map<K, number[]>(names.map((name) => [name, []]));
  const cpuMicros = new Map<K, number>(names.map((name) => [name, 0]));
  for (let done = 0; done < CALLS; done += BLOCK) {
    for (const name of names) {
      const cpu = process.cpuUsage();
      samples.get(name)?.push(...(await timeCalls(BLOCK, (i) => paths[name](done + i))));
      const used = process.cpuUsage(cpu);
      cpuMicros.set(name, (cpuMicros.get(name) ?? 0) + used.user + used.system);
    }
  }
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return Object.fromEntries(
    names.map((name) => {
      const taken = samples.get(name) ?? [];
      return [
        name,
        { ...summarize(taken), cpuMsPerCall: round((cpuMicros.get(name) ?? 0) / 1000 / taken.length) },
      ];
    }),
  ) as Record<K, ReturnType<typeof summarize> & { cpuMsPerCall: number }>;
}

const emulator = await createEmulator({
  port: 0,
  seed: fixture,
  tokens: [TOKEN],
  rateLimits: { enabled: false },
});
const engine = await createGatewayEngine({
  upstreamUrl: emulator.url,
  perBaseLimit: 100_000,
  perOwnerLimit: 100_000,
  recordCacheTtlMs: 0,
});
const client = createAirtableGateway({ engine, token: TOKEN });
try {
  const ids = (await client.listPage(BASE, TABLE, { pageSize: PAGE })).records.map((r) => r.id);
  const id = (i: number) => ids[i % ids.length] as string;
  // Read as the engine reads an answer (text, then JSON.parse), so only the gateway differs.
  const direct = async (path: string) => {
    const response = await fetch(`${emulator.url}/v0/${BASE}/${path}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    return JSON.parse(await response.text()) as unknown;
  };
  const paths = {
    directGetRecord: (i: number) => direct(`${TABLE}/${id(i)}`),
    clientGetRecord: (i: number) => client.getRecord(BASE, TABLE, id(i)),
    directListPage: () => direct(`${TABLE}?pageSize=${PAGE}`),
    clientListPage: () => client.listPage(BASE, TABLE, { pageSize: PAGE }),
  };
  for (const call of Object.values<Call>(paths)) await timeCalls(WARM_UP, call);
  const before = (emulator.admin.stats() as { requests: number }).requests;
  const measured = await measureInTurns(paths);
  const result = {
    calls: CALLS,
    direct: { getRecord: measured.directGetRecord, listPage: measured.directListPage },
    client: { getRecord: measured.clientGetRecord, listPage: measured.clientListPage },
    /** Every measured call reached the emulator: nothing was answered from a cache. */
    upstreamRequests: (emulator.admin.stats() as { requests: number }).requests - before,
  };
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'results');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'client-transport.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await client.close();
  await engine.close();
  await emulator.close();
}
