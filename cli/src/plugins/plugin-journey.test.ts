import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createPlatformAuthenticator,
  type RunningMcpHttpServer,
  startMcpHttpServer,
} from '@airsuite/mcp-server';
import { type RigUser, SAMPLE_CRM, usePlatformRig, WAT, wasmOf } from '@airsuite/platform-api/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingIo } from '../test-io.ts';
import { buildPlugin } from './build-plugin.ts';
import { publishPlugin } from './publish-plugin.ts';

/**
 * Issue 14's journey, end to end, as its people meet it: an admin builds the example plugins
 * from source and publishes them with `airsuite plugin publish --install` to a running
 * platform (validated there); an MCP client that is already connected (the SDK over HTTP)
 * hears `tools/list_changed`, finds the plugin's function among its tools and calls it against
 * the emulator; the owner validator refuses a bad `create_records` and the model reads its
 * reason; an on_event plugin reacts to the record the client creates.
 */

const EXAMPLES = fileURLToPath(new URL('../../plugin-kit/examples/', import.meta.url));
const rig = usePlatformRig({ webhooks: { deliver: false }, plugins: { events: { pollMs: 50 } } });
let mcp: RunningMcpHttpServer;
let platformUrl = '';
let owner: RigUser;
let workspace = '';
let adminEnv: Record<string, string>;
let client: Client;
let work: string;
let changes = 0;
let onChange: (() => void) | undefined;

const listChanged = () =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no tools/list_changed within 10 s')), 10_000);
    onChange = () => {
      clearTimeout(timer);
      resolve();
    };
  });

/** An example's folder copied out of the checkout, built there as its author would. */
async function built(example: string): Promise<string> {
  const dir = join(work, example);
  await cp(join(EXAMPLES, example), dir, { recursive: true });
  await buildPlugin(dir);
  return dir;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'airsuite-journey-'));
  platformUrl = await rig.app().listen({ port: 0, host: '127.0.0.1' });
  mcp = await startMcpHttpServer({ authenticate: createPlatformAuthenticator(rig.platform()), port: 0 });
  owner = await rig.user('owner');
  workspace = await rig.workspace(owner, { connect: true });
  adminEnv = {
    AIRSUITE_API_KEY: (await rig.apiKey(owner, workspace, 'admin')).key,
    AIRSUITE_PLATFORM_URL: platformUrl,
  };
  const editor = await rig.apiKey(owner, workspace, 'editor');
  client = new Client({ name: 'journey', version: '1.0.0' });
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
    changes++;
    onChange?.();
  });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(mcp.url), { requestInit: { headers: editor.auth } }),
  );
  // The client opens its standing GET stream right after the handshake; notifications travel on it.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
}, 120_000);

afterAll(async () => {
  await client?.close().catch(() => {});
  await mcp?.close();
  await rm(work, { recursive: true, force: true });
});

describe('a plugin, from source to a connected MCP client', () => {
  it('is published, validated and installed, reaches the open session, and answers through the SDK', async () => {
    const tools = async () => (await client.listTools()).tools.map((t) => t.name);
    expect(await tools()).not.toContain('plugin_lead_scoring_score');
    const dir = await built('lead-scoring');
    const changed = listChanged();
    const published = await publishPlugin(dir, { install: true }, recordingIo().io, adminEnv);
    expect(published).toMatchObject({ name: 'lead_scoring', version: '1.0.0', installed: 'installed' });
    await changed;
    expect(changes).toBe(1);
    expect(await tools()).toContain('plugin_lead_scoring_score');

    const result = await client.callTool({
      name: 'plugin_lead_scoring_score',
      arguments: { table: 'Deals' },
    });
    expect(result.isError).toBeFalsy();
    const { scores, count } = result.structuredContent as {
      scores: { id: string; score: number; grade: string }[];
      count: number;
    };
    expect(count).toBe(scores.length);
    expect(scores.length).toBeGreaterThan(0);
    expect(scores.every((s) => s.id.startsWith('rec') && s.score >= 0 && s.score <= 100)).toBe(true);
    expect(scores.map((s) => s.score)).toEqual([...scores.map((s) => s.score)].sort((a, b) => b - a));
    expect(scores.every((s) => ['hot', 'warm', 'cold'].includes(s.grade))).toBe(true);
  }, 60_000);

  it("refuses a bad create_records through its write guard, and the model reads the guard's reason", async () => {
    await publishPlugin(await built('owner-validator'), { install: true }, recordingIo().io, adminEnv);
    const refused = await client.callTool({
      name: 'create_records',
      arguments: {
        base_id: SAMPLE_CRM,
        table: 'Deals',
        records: [{ fields: { 'Deal Name': 'No owner yet' } }],
      },
    });
    expect(refused.isError).toBe(true);
    const text = (refused.content as { type: string; text: string }[])[0]?.text ?? '';
    expect(text).toContain('write refused by owner_validator');
    expect(text).toContain('every deal needs an Owner');
  }, 60_000);

  it('hands the record the client creates to an on_event plugin, which reacts', async () => {
    const dir = join(work, 'watcher');
    await mkdir(join(dir, 'build'), { recursive: true });
    await writeFile(
      join(dir, 'manifest.json'),
      JSON.stringify({
        name: 'watcher',
        version: '1.0.0',
        description: 'Keeps the last record created',
        author: 'AirSuite specs',
        hooks: { on_event: { events: ['record.created'] } },
        permissions: { kv: true },
      }),
    );
    await writeFile(join(dir, 'build', 'plugin.wasm'), await wasmOf(WAT.storeEvent));
    await publishPlugin(dir, { install: true }, recordingIo().io, adminEnv);
    const name = `Journey Ltd — ${Date.now()}`;
    const created = await client.callTool({
      name: 'create_records',
      arguments: { base_id: SAMPLE_CRM, table: 'Companies', records: [{ fields: { Name: name } }] },
    });
    expect(created.isError).toBeFalsy();
    const deadline = Date.now() + 10_000;
    let stored: { value: { type: string; data: { record: { fields: Record<string, unknown> } } } }[] = [];
    while (stored.length === 0 && Date.now() < deadline) {
      stored = await rig
        .db()
        .query(
          `SELECT value FROM plugin_kv WHERE workspace_id = $1 AND plugin = 'watcher' AND key = 'last'`,
          [workspace],
        );
      if (stored.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(stored[0]?.value).toMatchObject({
      type: 'record.created',
      data: { record: { fields: { Name: name } } },
    });
  }, 60_000);
});
