/**
 * plugins: what running a plugin costs, in worker mode (every uploaded plugin runs in a worker
 * thread of its own), over the WAT fixtures the specs use:
 *
 * - cold: a worker started and the module instantiated, then the first call (the module
 *   compiled once, as the runtime caches it by hash);
 * - warm no-op: a call to a function that does nothing, through the pool (the hand-off to the
 *   worker and back): target p50 under 1 ms;
 * - echo 1 KiB: input and output copied both ways;
 * - one host call that reads records: records_list through a real gateway client against the
 *   emulator (Airtable's limits raised so the gateway does not pace the run), beside the same
 *   gateway call made directly, so the runtime's share is the difference: the records call
 *   should be dominated by the gateway, not by the runtime. (Extism 1.0.3's host-call
 *   hand-off between threads costs far more when the host function waits for I/O than when
 *   it answers at once: ~0.25 ms answered at once, ~1.3 ms more around a 1 ms wait.)
 *
 * Then, on a platform serving REST: a before_write hook's cost on a write, and a stream of
 * REST calls while hostile plugins run (plugins-platform.ts).
 */
import { createEmulator } from '@airsuite/airtable-emulator';
import { createAirtableGateway, createGatewayEngine } from '@airsuite/airtable-gateway';
import {
  type HostCalls,
  hostCallsFor,
  InstancePool,
  PluginInstance,
  pluginManifestSchema,
} from '@airsuite/platform-api';
import { WAT, wasmOf } from '@airsuite/platform-api/testing';
import { benchPluginsOnPlatform } from './plugins-platform.ts';
import { quantile, timeCalls } from './stats.ts';

const TOKEN = 'patBenchPlugins.0123456789abcdef0123456789abcdef';
const LIMITS = { memoryPages: 16, timeoutMs: 5_000, maxInputBytes: 1 << 20, maxOutputBytes: 1 << 20 };
const WARM_CALLS = 2_000;
const HOST_CALLS = 300;
const COLD_STARTS = 10;

const round = (n: number) => Math.round(n * 1000) / 1000;
const stats = (samples: number[]) => ({
  n: samples.length,
  p50Ms: round(quantile(samples, 0.5)),
  p99Ms: round(quantile(samples, 0.99)),
});

const noHost = {} as HostCalls;

async function cold(module: WebAssembly.Module) {
  const samples = await timeCalls(COLD_STARTS, async () => {
    const instance = await PluginInstance.create({ module, limits: LIMITS });
    await instance.call('noop', new Uint8Array(), noHost);
    await instance.close();
  });
  return stats(samples);
}

export async function benchPlugins() {
  const runtime = await benchPluginRuntime();
  return { ...runtime, onPlatform: await benchPluginsOnPlatform() };
}

async function benchPluginRuntime() {
  const echoModule = await WebAssembly.compile(await wasmOf(WAT.echo));
  const relayModule = await WebAssembly.compile(await wasmOf(WAT.relay(['records_list'])));
  const pool = new InstancePool({ maxInstances: 1 });
  const emulator = await createEmulator({
    port: 0,
    seed: 'sample',
    tokens: [TOKEN],
    rateLimits: { enabled: true, perBase: 100_000, perOwner: 100_000, penaltyMs: 30_000 },
  });
  const engine = await createGatewayEngine({
    upstreamUrl: emulator.url,
    perBaseLimit: 100_000,
    perOwnerLimit: 100_000,
  });
  const airtable = createAirtableGateway({ engine, token: TOKEN });
  try {
    const coldStart = await cold(echoModule);
    const call = (fn: string, input: Uint8Array, calls = noHost, module = echoModule) =>
      pool.call(module === echoModule ? 'echo' : 'relay', { module, limits: LIMITS }, fn, input, calls);
    await timeCalls(200, () => call('noop', new Uint8Array()));
    const warmNoop = stats(await timeCalls(WARM_CALLS, () => call('noop', new Uint8Array())));
    const kib = new Uint8Array(1024).fill(120);
    const echo1KiB = stats(await timeCalls(WARM_CALLS, () => call('echo', kib)));

    const [crm] = (await airtable.listBases()).filter((b) => b.name === 'Sales CRM');
    if (!crm) throw new Error('the sample seed has no Sales CRM base');
    const manifest = pluginManifestSchema.parse({
      name: 'bench',
      version: '1.0.0',
      description: 'Bench',
      author: 'bench',
      functions: [
        { name: 'relay_records_list', description: 'Relays records_list.', input_schema: { type: 'object' } },
      ],
      permissions: { records: { read: [{ base: crm.id }] } },
    });
    const hostCalls = hostCallsFor({
      workspaceId: 'wsp_bench',
      plugin: 'bench',
      manifest,
      db: undefined as never,
      airtable: async () => airtable,
      onRefused: () => {},
    });
    // A distinct formula each time, so the gateway's record cache answers none of them.
    const request = (i: number) =>
      new TextEncoder().encode(
        JSON.stringify({
          base: crm.id,
          table: 'Deals',
          max_records: 5,
          filter_by_formula: `NOT({Deal Name} = 'b${i}')`,
        }),
      );
    await timeCalls(50, (i) => call('relay_records_list', request(-i - 1), hostCalls, relayModule));
    const direct = stats(
      await timeCalls(HOST_CALLS, (i) =>
        airtable.listRecords(crm.id, 'Deals', {
          maxRecords: 5,
          filterByFormula: `NOT({Deal Name} = 'd${i}')`,
        }),
      ),
    );
    const viaPlugin = stats(
      await timeCalls(HOST_CALLS, (i) => call('relay_records_list', request(i), hostCalls, relayModule)),
    );
    const runtimeShareP50 = round(viaPlugin.p50Ms - direct.p50Ms);
    return {
      mode: 'worker',
      coldStart,
      warmNoop,
      echo1KiB,
      recordsHostCall: {
        viaPlugin,
        gatewayDirect: direct,
        runtimeAddedP50Ms: runtimeShareP50,
        gatewayShareOfP50: round(direct.p50Ms / viaPlugin.p50Ms),
      },
      targets: {
        warmNoopP50MsBelow: 1,
        met: {
          warmNoop: warmNoop.p50Ms < 1,
          recordsDominatedByGateway: direct.p50Ms / viaPlugin.p50Ms >= 0.5,
        },
      },
    };
  } finally {
    await pool.close();
    await engine.close();
    await emulator.close();
  }
}
