/**
 * plugins on a platform serving REST in another process (bench/platform-server.ts: Airtable's
 * limits off in the emulator and the gateway, so nothing paces the calls but the platform):
 *
 * - beforeWrite: create_records of one record through the REST tool route, without and with
 *   a before_write hook that allows every write (the constantAnswer fixture, disabled and
 *   enabled in turn): p50/p99 of each and what the hook adds;
 * - hostileStream: a steady stream of ordinary REST calls (a list_records tool call and the
 *   plugin list, in turn) alone, then while spin, memory-bomb and crash fixtures are called
 *   back to back (each followed by a healthy call of the same plugin, which also keeps them
 *   out of quarantine): the stream's p50/p99/max, its errors (target 0) and its p99 ratio.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  callRest,
  constantAnswer,
  type StreamSample,
  startRestStream,
  WAT,
  wasmOf,
} from '@airsuite/platform-api/testing';
import { quantile, timeCalls } from './stats.ts';

const here = dirname(fileURLToPath(import.meta.url));
const CRM = 'appJRG6RjcS0ZVuqz';
const WRITE_ROUNDS = 5;
const WRITES_PER_ROUND = 200;
const WARM_WRITES = 10;
const STREAM_PERIOD_MS = 10;
const PHASE_MS = 6_000;
const SPIN_TIMEOUT_MS = 200;
/**
 * The stream's p99 under hostile calls, as a multiple of its p99 alone, beyond which it counts
 * as a spike: on two cores a spinning worker takes one of them and every fault starts a new
 * worker, so some slowdown is the machine's, not a stall (runs here: 1.4 to 2.2).
 */
const P99_RATIO_BOUND = 3;

interface Target {
  url: string;
  workspaceId: string;
  apiKey: string;
  accessToken: string;
  database: string;
}

const round = (n: number) => Math.round(n * 1000) / 1000;
const latencies = (ms: number[]) => ({
  n: ms.length,
  p50Ms: round(quantile(ms, 0.5)),
  p99Ms: round(quantile(ms, 0.99)),
  maxMs: round(Math.max(...ms)),
});

async function startPlatform() {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'platform-server.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: process.env,
  });
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  return {
    target: JSON.parse(line) as Target,
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** Publishes and installs a fixture over REST, as its workspace's owner. */
async function install(target: Target, name: string, source: string, manifest: Record<string, unknown>) {
  const module = Buffer.from(await wasmOf(source)).toString('base64');
  const full = { name, version: '1.0.0', description: `The ${name} fixture`, author: 'bench', ...manifest };
  const ws = `/v1/workspaces/${target.workspaceId}`;
  for (const [path, body] of [
    [`${ws}/plugin-versions`, { manifest: full, module }],
    [`${ws}/plugins`, { name, version: '1.0.0' }],
  ] as const) {
    const answer = await callRest(target.url, 'POST', path, { bearer: target.accessToken, body });
    if (answer.status !== 201) throw new Error(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
}

const functions = (...names: string[]) =>
  names.map((name) => ({ name, description: `Runs ${name}.`, input_schema: { type: 'object' } }));

/**
 * Blocks of writes without and with the guard, in turn (the guard disabled and enabled between
 * them), so drift of the machine lands on both alike; a few calls after each switch are not
 * counted (enabling starts the guard's worker again).
 */
async function beforeWrite(target: Target) {
  const ws = `/v1/workspaces/${target.workspaceId}`;
  let i = 0;
  const createOne = async () => {
    const answer = await callRest(target.url, 'POST', `${ws}/tools/create_records`, {
      bearer: target.apiKey,
      body: { base_id: CRM, table: 'Companies', records: [{ fields: { Name: `Bench ${i++}` } }] },
    });
    if (answer.status !== 200) throw new Error(`create_records: ${answer.status} ${answer.code}`);
  };
  const setGuard = async (enabled: boolean) => {
    const answer = await callRest(target.url, 'PATCH', `${ws}/plugins/allower`, {
      bearer: target.accessToken,
      body: { enabled },
    });
    if (answer.status !== 200) throw new Error(`enable guard: ${answer.status} ${answer.code}`);
    await timeCalls(WARM_WRITES, createOne);
  };
  await install(target, 'allower', constantAnswer('before_write', '{"decision":"allow"}'), {
    hooks: { before_write: {} },
  });
  const samples = { unguarded: [] as number[], guarded: [] as number[] };
  for (let block = 0; block < WRITE_ROUNDS; block++) {
    await setGuard(false);
    samples.unguarded.push(...(await timeCalls(WRITES_PER_ROUND, createOne)));
    await setGuard(true);
    samples.guarded.push(...(await timeCalls(WRITES_PER_ROUND, createOne)));
  }
  const unguarded = latencies(samples.unguarded);
  const guarded = latencies(samples.guarded);
  return {
    unguarded,
    guarded,
    addedP50Ms: round(guarded.p50Ms - unguarded.p50Ms),
    addedP99Ms: round(guarded.p99Ms - unguarded.p99Ms),
  };
}

/** Calls each hostile fixture, then a healthy function of the same plugin, until `done`. */
async function hostileCalls(target: Target, done: () => boolean) {
  const codes: Record<string, Record<string, number>> = {};
  let healthyFailed = 0;
  const run = (plugin: string, fn: string) =>
    callRest(target.url, 'POST', `/v1/workspaces/${target.workspaceId}/plugins/${plugin}/functions/${fn}`, {
      bearer: target.accessToken,
      body: { input: {} },
    });
  while (!done()) {
    for (const [plugin, fn] of [
      ['spinner', 'spin'],
      ['bomber', 'bomb'],
      ['crasher', 'crash'],
    ] as const) {
      const answer = await run(plugin, fn);
      const code = answer.code ?? String(answer.status);
      codes[fn] = { ...codes[fn], [code]: (codes[fn]?.[code] ?? 0) + 1 };
      if ((await run(plugin, 'noop')).status !== 200) healthyFailed++;
    }
  }
  return { codes, healthyFailed };
}

async function streamFor(target: Target, ms: number, meanwhile?: (done: () => boolean) => Promise<unknown>) {
  const ws = `/v1/workspaces/${target.workspaceId}`;
  const stream = startRestStream({
    periodMs: STREAM_PERIOD_MS,
    calls: [
      () =>
        callRest(target.url, 'POST', `${ws}/tools/list_records`, {
          bearer: target.apiKey,
          body: { base_id: CRM, table: 'Companies', page_size: 5 },
        }),
      () => callRest(target.url, 'GET', `${ws}/plugins`, { bearer: target.apiKey }),
    ],
  });
  const until = performance.now() + ms;
  const done = () => performance.now() >= until;
  const side = meanwhile ? await meanwhile(done) : await new Promise((resolve) => setTimeout(resolve, ms));
  const report = await stream.stop();
  return {
    stream: { ...latencies(report.samples.map((s: StreamSample) => s.ms)), errors: report.failures.length },
    side,
  };
}

async function hostileStream(target: Target) {
  await install(target, 'spinner', WAT.spin, {
    functions: functions('spin', 'noop'),
    limits: { timeout_ms: SPIN_TIMEOUT_MS },
  });
  await install(target, 'bomber', WAT.memoryBomb, { functions: functions('bomb', 'noop') });
  await install(target, 'crasher', WAT.crash, { functions: functions('crash', 'noop') });
  await streamFor(target, 1_000);
  const alone = await streamFor(target, PHASE_MS);
  const hostile = await streamFor(target, PHASE_MS, (done) => hostileCalls(target, done));
  const p99Ratio = round(hostile.stream.p99Ms / alone.stream.p99Ms);
  return {
    periodMs: STREAM_PERIOD_MS,
    phaseMs: PHASE_MS,
    spinTimeoutMs: SPIN_TIMEOUT_MS,
    alone: alone.stream,
    underHostileCalls: hostile.stream,
    p99Ratio,
    hostileCalls: hostile.side,
    target: {
      errors: 0,
      p99RatioAtMost: P99_RATIO_BOUND,
      // A call served behind a spinning plugin would take its whole time limit.
      maxMsBelow: SPIN_TIMEOUT_MS,
      met:
        hostile.stream.errors === 0 &&
        alone.stream.errors === 0 &&
        p99Ratio <= P99_RATIO_BOUND &&
        hostile.stream.maxMs < SPIN_TIMEOUT_MS,
    },
  };
}

export async function benchPluginsOnPlatform() {
  const platform = await startPlatform();
  try {
    return {
      database: platform.target.database,
      beforeWrite: await beforeWrite(platform.target),
      hostileStream: await hostileStream(platform.target),
    };
  } finally {
    await platform.stop();
  }
}
