import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createEmulator, type RunningEmulator } from '@airsuite/airtable-emulator';
import { createGatewayEngine, type GatewayEngine } from '@airsuite/airtable-gateway';
import { createPlatform, openDatabase, type Platform, type WorkspaceAccess } from '@airsuite/platform-api';
import { runTool } from '@airsuite/tools';
import { ConfigError } from '../config-error.ts';

/** What a plugin's local run answers: the function's or the tool's output, and what its handlers did. */
export interface RunOutcome {
  ok: boolean;
  output?: unknown;
  error?: { code: string; message: string };
  /** With a tool run: the on_event deliveries the change made, once settled (or after the wait). */
  deliveries?: { plugin: string; type: string; state: string; last_error: string | null }[];
  /** What the plugin logged meanwhile, oldest first. */
  logs?: { level: string; function: string; message: string }[];
}

export interface LocalRunner {
  /** The sample bases' ids by name (Sales CRM, Product Roadmap…), for manifests and inputs. */
  bases: Record<string, string>;
  /** Runs an exported function or hook of the plugin with `input`. */
  call(fn: string, input: unknown): Promise<RunOutcome>;
  /** Runs a catalogue tool as the workspace's owner: write guards apply, on_event handlers react. */
  tool(name: string, input: unknown): Promise<RunOutcome>;
  close(): Promise<void>;
}

export interface LocalRunnerOptions {
  /** The emulator's seed: `sample` (default) or a fixture file (`airsuite emulator --seed`). */
  seed?: string;
}

const TOKEN = `patLocalRunner.${randomBytes(16).toString('hex')}`;
const HANDLER_WAIT_MS = 5_000;

async function readPlugin(dir: string) {
  let manifest: { name?: unknown; version?: unknown };
  try {
    manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as typeof manifest;
  } catch (error) {
    throw new ConfigError(
      `cannot read ${join(dir, 'manifest.json')} (${(error as Error).message}): is ${dir} a plugin folder?`,
    );
  }
  const module = await readFile(join(dir, 'build', 'plugin.wasm')).catch(() => {
    throw new ConfigError(
      `no ${join(dir, 'build', 'plugin.wasm')}: build the plugin first (airsuite plugin build ${dir})`,
    );
  });
  return { manifest, module: new Uint8Array(module) };
}

/** A throwaway owner, workspace and connection to the emulator. */
async function testWorkspace(platform: Platform): Promise<WorkspaceAccess> {
  const email = `runner-${randomBytes(4).toString('hex')}@example.com`;
  const password = randomBytes(18).toString('base64url');
  await platform.accounts.register({ email, password });
  const tokens = await platform.accounts.login({ email, password, ip: '127.0.0.1' });
  const principal = await platform.authenticate(tokens.access_token);
  const workspace = await platform.workspaces.create(principal, 'Plugin test workspace');
  const access = await platform.workspaces.access(principal, workspace.id);
  await platform.connections.create(access, { name: 'Emulator', token: TOKEN });
  return access;
}

function failure(error: unknown): RunOutcome {
  const e = error as { code?: string; message?: string };
  return { ok: false, error: { code: e.code ?? 'ERROR', message: e.message ?? String(error) } };
}

/**
 * A plugin's functions and hooks run as the platform would run them, on this machine: the
 * emulator with the sample bases (Airtable's real limits), an embedded database in a temporary
 * folder, a test workspace connected to the emulator, the plugin published and installed
 * from DIR (manifest.json, build/plugin.wasm) — every grant, limit and hook applies. Nothing
 * outlives `close()`.
 */
export async function openLocalRunner(dir: string, options: LocalRunnerOptions = {}): Promise<LocalRunner> {
  const folder = resolve(dir);
  const plugin = await readPlugin(folder);
  const dataDir = await mkdtemp(join(tmpdir(), 'airsuite-plugin-run-'));
  const parts: { emulator?: RunningEmulator; engine?: GatewayEngine; platform?: Platform } = {};
  const close = async () => {
    await parts.platform?.close();
    await parts.engine?.close();
    await parts.emulator?.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const seed = !options.seed || options.seed === 'sample' ? 'sample' : { file: resolve(options.seed) };
    parts.emulator = await createEmulator({ port: 0, seed, tokens: [TOKEN], log: () => {} });
    parts.engine = await createGatewayEngine({ upstreamUrl: parts.emulator.url });
    const db = await openDatabase({ dataDir });
    parts.platform = await createPlatform({
      db,
      engine: parts.engine,
      secretKey: randomBytes(32),
      webhooks: { deliver: false },
      plugins: { events: { pollMs: 50 } },
      validateToken: async () => ({ airtableUserId: 'usrLocalRunner00' }),
    });
    const platform = parts.platform;
    const access = await testWorkspace(platform);
    const { registry } = platform.plugins;
    await registry.publish(access, { manifest: plugin.manifest as never, module: plugin.module });
    const name = String(plugin.manifest.name);
    await registry.install(access, { name, version: String(plugin.manifest.version) });
    const bases = Object.fromEntries(
      (await (await platform.tools.contextFor(access)).airtable.listBases()).map((b) => [b.name, b.id]),
    );
    return {
      bases,
      call: (fn, input) =>
        platform.plugins.runtime
          .call(access, name, fn, input)
          .then((output) => ({ ok: true, output }), failure),
      tool: (tool, input) => runCatalogueTool(platform, access, tool, input),
      close,
    };
  } catch (error) {
    await close();
    if (ConfigError.isInstance(error)) throw error;
    const e = error as { code?: string; message?: string };
    throw new ConfigError(`the plugin could not be installed: ${e.code ? `${e.code}: ` : ''}${e.message}`);
  }
}

async function runCatalogueTool(
  platform: Platform,
  access: WorkspaceAccess,
  name: string,
  input: unknown,
): Promise<RunOutcome> {
  const { tools } = await platform.tools.catalogueFor(access);
  const tool = tools.find((t) => t.name === name);
  if (!tool)
    return { ok: false, error: { code: 'TOOL_NOT_FOUND', message: `no tool "${name}" in the catalogue` } };
  const since = new Date();
  const context = await platform.tools.contextFor(access);
  const outcome = await runTool(tool, input, {
    ...context,
    signal: AbortSignal.timeout(60_000),
    progress: () => {},
    log: () => {},
  });
  const deliveries = await settledDeliveries(platform, access.workspaceId, since);
  return outcome.ok
    ? { ok: true, output: outcome.output, deliveries }
    : { ok: false, error: { code: outcome.code, message: outcome.message }, deliveries };
}

/** The on_event deliveries made since `since`, once none is pending (or the wait is over). */
async function settledDeliveries(platform: Platform, workspaceId: string, since: Date) {
  const deadline = Date.now() + HANDLER_WAIT_MS;
  for (;;) {
    const rows = await platform.db.query<{
      plugin: string;
      type: string;
      state: string;
      last_error: string | null;
    }>(
      `SELECT d.plugin, e.type, d.state, d.last_error FROM plugin_event_deliveries d
       JOIN webhook_events e ON e.id = d.event_id
       WHERE d.workspace_id = $1 AND d.created_at >= $2 ORDER BY d.created_at`,
      [workspaceId, since],
    );
    if (rows.every((row) => row.state !== 'pending') || Date.now() > deadline) return rows;
    await new Promise((r) => setTimeout(r, 50));
  }
}
