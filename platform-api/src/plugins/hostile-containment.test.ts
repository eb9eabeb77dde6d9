import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenHttpApp, type RunningHttpServer } from '../server.ts';
import {
  type RigUser,
  SAMPLE_CRM,
  SAMPLE_ROADMAP,
  startRestStream,
  usePlatformRig,
} from '../testing/platform-rig.ts';
import { callRest, type RestAnswer } from '../testing/rest-client.ts';
import type { RestStream } from '../testing/rest-stream.ts';
import type { PluginManifestInput } from './manifest.ts';
import { QUARANTINE_AFTER_FAULTS } from './plugin-runtime.ts';
import { WAT, wasmOf } from './testing/wat-fixtures.ts';

/**
 * Hostile plugins called over REST, one after another, while a steady stream of ordinary REST
 * calls goes on beside them: each is contained (the timeout fires, memory and output are
 * bounded, a trap kills only its own instance, forbidden host calls are refused and audited,
 * repeated faults quarantine) and the stream sees no error and no stall. Another workspace
 * sees none of these plugins. (Publishing without a signature, or with a wrong one, where
 * signatures are required is specified over REST in plugin-routes.test.ts.)
 */

const rig = usePlatformRig({ webhooks: { deliver: false } });

const SPIN_TIMEOUT_MS = 250;
/** Slack for a shared, noisy machine: the bench measures the real figures. */
const MARGIN_MS = 1_000;
const STREAM_PERIOD_MS = 20;
const STREAM_MAX_MS = 1_500;

const fn = (name: string) => ({
  name,
  description: `Runs ${name} for the specs.`,
  input_schema: { type: 'object' },
});
const relayed = ['records_list', 'records_write', 'kv_get'];

interface Fixture {
  source: string;
  functions: string[];
  extra?: Partial<PluginManifestInput>;
}

/** Each hostile fixture with a healthy `noop` beside it; the relay hands its input to a host function. */
const PLUGINS = {
  spinner: {
    source: WAT.spin,
    functions: ['spin', 'noop'],
    extra: { limits: { timeout_ms: SPIN_TIMEOUT_MS } },
  },
  bomber: { source: WAT.memoryBomb, functions: ['bomb', 'noop'] },
  gusher: {
    source: WAT.hugeOutput,
    functions: ['huge', 'noop'],
    extra: { limits: { max_output_bytes: 4_096 } },
  },
  crasher: { source: WAT.crash, functions: ['crash', 'noop'] },
  relay: {
    source: WAT.relay(relayed),
    functions: relayed.map((name) => `relay_${name}`),
    extra: {
      permissions: {
        records: {
          read: [{ base: SAMPLE_CRM, tables: ['Deals'] }],
          write: [{ base: SAMPLE_CRM, tables: ['Companies'] }],
        },
      },
    },
  },
} satisfies Record<string, Fixture>;

let server: RunningHttpServer;
let owner: RigUser;
let workspace = '';

async function install(name: keyof typeof PLUGINS): Promise<void> {
  const { source, functions, extra }: Fixture = PLUGINS[name];
  const manifest: PluginManifestInput = {
    name,
    version: '1.0.0',
    description: `The ${name} fixture`,
    author: 'AirSuite specs',
    functions: functions.map(fn),
    ...extra,
  };
  const module = Buffer.from(await wasmOf(source)).toString('base64');
  const ws = `/v1/workspaces/${workspace}`;
  for (const [path, body] of [
    [`${ws}/plugin-versions`, { manifest, module }],
    [`${ws}/plugins`, { name, version: '1.0.0' }],
  ] as const) {
    const answer = await rig.call('POST', path, { auth: owner.auth, body });
    if (answer.statusCode !== 201) throw new Error(`${path}: ${answer.body}`);
  }
}

const rest = (method: 'GET' | 'POST', path: string, body?: unknown, as: RigUser = owner) =>
  callRest(server.url, method, path, { bearer: as.accessToken, ...(body !== undefined ? { body } : {}) });
const run = (plugin: string, name: string, input: unknown = {}) =>
  rest('POST', `/v1/workspaces/${workspace}/plugins/${plugin}/functions/${name}`, { input });

async function timed(
  call: () => Promise<RestAnswer>,
): Promise<RestAnswer & { startedAt: number; ms: number }> {
  const startedAt = performance.now();
  const answer = await call();
  return { ...answer, startedAt, ms: performance.now() - startedAt };
}

/** Polls until `done` holds (audit rows of refusals are written after the answer). */
async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const deniedHostCalls = () =>
  rig
    .db()
    .query<{ action: string; outcome: string; error_code: string; actor_id: string; target_id: string }>(
      `SELECT action, outcome, error_code, actor_id, target_id FROM audit_events
       WHERE workspace_id = $1 AND action LIKE 'plugin.host_call.%' ORDER BY seq`,
      [workspace],
    );

beforeAll(async () => {
  owner = await rig.user('owner');
  workspace = await rig.workspace(owner, { connect: true });
  for (const name of Object.keys(PLUGINS) as (keyof typeof PLUGINS)[]) await install(name);
  server = await listenHttpApp(rig.app(), '127.0.0.1', 0);
}, 60_000);
afterAll(() => server?.app.server.closeAllConnections());

describe('hostile plugins, while a stream of ordinary REST calls goes on', () => {
  let stream: RestStream;
  /** When the spinner spun, to find the stream's calls served meanwhile. */
  let spinning = { from: 0, to: 0 };
  beforeAll(() => {
    stream = startRestStream({
      periodMs: STREAM_PERIOD_MS,
      calls: [
        () =>
          rest('POST', `/v1/workspaces/${workspace}/tools/list_records`, {
            base_id: SAMPLE_CRM,
            table: 'Companies',
            page_size: 5,
          }),
        () => rest('GET', `/v1/workspaces/${workspace}/plugins`),
      ],
    });
  });
  afterAll(() => stream.stop());

  it('stops one that never returns at its time limit, and the next call works', async () => {
    const spun = await timed(() => run('spinner', 'spin'));
    spinning = { from: spun.startedAt, to: spun.startedAt + spun.ms };
    expect(spun).toMatchObject({ status: 504, code: 'PLUGIN_TIMEOUT' });
    expect(spun.ms).toBeGreaterThanOrEqual(SPIN_TIMEOUT_MS - 5);
    expect(spun.ms).toBeLessThan(SPIN_TIMEOUT_MS + MARGIN_MS);
    expect(await run('spinner', 'noop')).toMatchObject({ status: 200, body: { output: null } });
  });

  it('fails one that grows its memory without end cleanly, at its declared maximum, and the next call works', async () => {
    // The bomb traps once memory.grow is refused: a trap, not an engine running out of memory.
    expect(await run('bomber', 'bomb')).toMatchObject({ status: 502, code: 'PLUGIN_CRASHED' });
    expect(await run('bomber', 'noop')).toMatchObject({ status: 200, body: { output: null } });
  });

  it('refuses output beyond the limit, and the next call works', async () => {
    // 2 MiB against 4 KiB. Not far more: Extism 1.0.3 hands every block the worker allocated
    // to this thread (synchronously) before the limit can be checked, so a 1 GiB output
    // stalls the server for seconds, which no manifest limit bounds yet.
    expect(await run('gusher', 'huge')).toMatchObject({ status: 502, code: 'PLUGIN_OUTPUT_TOO_LARGE' });
    expect(await run('gusher', 'noop')).toMatchObject({ status: 200, body: { output: null } });
  });

  it('answers a trap with its code, and a fresh instance takes the next call', async () => {
    expect(await run('crasher', 'crash')).toMatchObject({ status: 502, code: 'PLUGIN_CRASHED' });
    expect(await run('crasher', 'noop')).toMatchObject({ status: 200, body: { output: null } });
  });

  it('refuses host calls beyond the grants as answers the plugin reads, and audits each', async () => {
    const granted = await run('relay', 'relay_records_list', {
      base: SAMPLE_CRM,
      table: 'Deals',
      max_records: 1,
    });
    expect(granted).toMatchObject({ status: 200, body: { output: { ok: true, records: [{}] } } });
    const forbidden = { output: { ok: false, error: { code: 'FORBIDDEN' } } };
    expect(await run('relay', 'relay_kv_get', { key: 'secrets' })).toMatchObject({
      status: 200,
      body: forbidden,
    });
    expect(
      await run('relay', 'relay_records_list', { base: SAMPLE_ROADMAP, table: 'Features' }),
    ).toMatchObject({
      status: 200,
      body: forbidden,
    });
    const write = { action: 'create', base: SAMPLE_CRM, table: 'Deals', records: [{ fields: {} }] };
    expect(await run('relay', 'relay_records_write', write)).toMatchObject({ status: 200, body: forbidden });

    const denied = await eventually(deniedHostCalls, (rows) => rows.length >= 3);
    const row = {
      outcome: 'denied',
      error_code: 'PLUGIN_HOST_CALL_REFUSED',
      actor_id: owner.id,
      target_id: 'relay',
    };
    expect(denied).toEqual(
      ['kv_get', 'records_list', 'records_write'].map((call) => ({
        action: `plugin.host_call.${call}`,
        ...row,
      })),
    );
  });

  it(`quarantines one that faults ${QUARANTINE_AFTER_FAULTS} times in a row, with an event and an audit row; the next call does not run it`, async () => {
    for (let i = 0; i < QUARANTINE_AFTER_FAULTS; i++) {
      expect(await run('crasher', 'crash')).toMatchObject({ status: 502, code: 'PLUGIN_CRASHED' });
    }
    // Not PLUGIN_CRASHED: the plugin is refused before it runs.
    expect(await run('crasher', 'crash')).toMatchObject({ status: 409, code: 'PLUGIN_QUARANTINED' });
    expect(await run('crasher', 'noop')).toMatchObject({ status: 409, code: 'PLUGIN_QUARANTINED' });
    expect(await rest('GET', `/v1/workspaces/${workspace}/plugins/crasher`)).toMatchObject({
      status: 200,
      body: { status: 'quarantined' },
    });
    const events = await rig
      .db()
      .query<{ payload: string }>(
        `SELECT payload::text AS payload FROM webhook_events WHERE workspace_id = $1 AND type = 'plugin.quarantined'`,
        [workspace],
      );
    expect(events.map((e) => JSON.parse(e.payload).data)).toEqual([
      expect.objectContaining({
        plugin: 'crasher',
        faults: QUARANTINE_AFTER_FAULTS,
        last_error: expect.objectContaining({ code: 'PLUGIN_CRASHED' }),
      }),
    ]);
    const audited = await rig
      .db()
      .query<{ actor_type: string; target_id: string; outcome: string }>(
        `SELECT actor_type, target_id, outcome FROM audit_events WHERE workspace_id = $1 AND action = 'plugin.quarantined'`,
        [workspace],
      );
    expect(audited).toEqual([{ actor_type: 'system', target_id: 'crasher', outcome: 'success' }]);
  });

  it('meanwhile, the stream saw no error and no stall', async () => {
    const report = await stream.stop();
    // Calls begun and answered while a plugin spun on another thread: the stream ran beside them.
    const servedWhileSpinning = report.samples.filter(
      (s) => s.startedAt >= spinning.from && s.startedAt + s.ms <= spinning.to,
    );
    expect(servedWhileSpinning.length).toBeGreaterThan(0);
    expect(report.failures).toEqual([]);
    expect(report.maxMs).toBeLessThan(STREAM_MAX_MS);
  });
});

describe('another workspace', () => {
  it("sees none of this workspace's plugins: not listed, not found, no tools, not callable", async () => {
    const stranger = await rig.user('stranger');
    const other = await rig.workspace(stranger, { connect: true });
    const there = `/v1/workspaces/${other}`;
    expect(await rest('GET', `${there}/plugins`, undefined, stranger)).toMatchObject({
      status: 200,
      body: { plugins: [] },
    });
    expect(await rest('GET', `${there}/plugins/relay`, undefined, stranger)).toMatchObject({
      status: 404,
      code: 'PLUGIN_NOT_FOUND',
    });
    const toolNames = async (ws: string, as: RigUser) =>
      ((await rest('GET', `/v1/workspaces/${ws}/tools`, undefined, as)).body.tools as { name: string }[]).map(
        (t) => t.name,
      );
    expect(await toolNames(workspace, owner)).toContain('plugin_relay_relay_kv_get');
    expect((await toolNames(other, stranger)).filter((name) => name.startsWith('plugin_'))).toEqual([]);
    expect(
      await rest(
        'POST',
        `${there}/plugins/relay/functions/relay_kv_get`,
        { input: { key: 'secrets' } },
        stranger,
      ),
    ).toMatchObject({ status: 404, code: 'PLUGIN_NOT_FOUND' });
    expect(
      await rest('POST', `${there}/tools/plugin_relay_relay_kv_get`, { key: 'secrets' }, stranger),
    ).toMatchObject({
      status: 404,
      code: 'TOOL_NOT_FOUND',
    });
  });
});
