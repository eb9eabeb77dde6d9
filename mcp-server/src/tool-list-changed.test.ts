import { PLUGIN_CHANGES_CHANNEL } from '@airsuite/platform-api';
import { type RigUser, usePlatformRig, WAT, wasmOf } from '@airsuite/platform-api/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMcpHttpServer, startMcpHttpServer } from './http-server.ts';
import { createPlatformAuthenticator } from './platform-authenticator.ts';

/**
 * A connected MCP client hears of its workspace's catalogue changes: installing, disabling or
 * upgrading a plugin sends `notifications/tools/list_changed` to every open session of that
 * workspace (and of no other), whether the change was made in this process or announced by
 * another one, and the next tools/list and tools/call see the new catalogue.
 */

const rig = usePlatformRig({ webhooks: { deliver: false } });
let mcp: RunningMcpHttpServer;
let owner: RigUser;
let ws = '';
let other = '';
let echo: Uint8Array;

interface Watched {
  client: Client;
  changes: number;
  /** Resolves at the next list_changed after this call. */
  nextChange(): Promise<void>;
}

async function connect(workspace: string): Promise<Watched> {
  const key = await rig.apiKey(owner, workspace, 'editor');
  const client = new Client({ name: 'list-changed-test', version: '1.0.0' });
  const watched: Watched = { client, changes: 0, nextChange: () => Promise.resolve() };
  let wake: (() => void) | undefined;
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
    watched.changes++;
    wake?.();
  });
  watched.nextChange = () =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no tools/list_changed within 10 s')), 10_000);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(mcp.url), { requestInit: { headers: key.auth } }),
  );
  // The client opens its standing GET stream right after the handshake; notifications travel on it.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  return watched;
}

const accessTo = async (workspace: string) => {
  const platform = rig.platform();
  return platform.workspaces.access(await platform.authenticate(owner.accessToken), workspace);
};

const manifest = (version: string, description = 'Returns the object it is given, unchanged.') => ({
  name: 'echoer',
  version,
  description: 'Echoes',
  author: 'AirSuite specs',
  functions: [
    { name: 'echo', description, input_schema: { type: 'object' }, annotations: { readOnlyHint: true } },
  ],
});

const names = async (watched: Watched) => (await watched.client.listTools()).tools.map((t) => t.name);

beforeAll(async () => {
  mcp = await startMcpHttpServer({ authenticate: createPlatformAuthenticator(rig.platform()), port: 0 });
  owner = await rig.user('owner');
  ws = await rig.workspace(owner, { connect: true });
  other = await rig.workspace(owner, { connect: true });
  echo = await wasmOf(WAT.echo);
  const { registry } = rig.platform().plugins;
  const access = await accessTo(ws);
  await registry.publish(access, { manifest: manifest('1.0.0'), module: echo });
  await registry.publish(access, {
    manifest: manifest('1.1.0', 'Returns the object it is given, unchanged, faster.'),
    module: echo,
  });
}, 60_000);

afterAll(async () => {
  await mcp?.close();
});

describe('tools/list_changed', () => {
  it('reaches the open sessions of the workspace whose plugins change, and no other', async () => {
    const mine = await connect(ws);
    const theirs = await connect(other);
    expect(await names(mine)).not.toContain('plugin_echoer_echo');
    const { registry } = rig.platform().plugins;
    const access = await accessTo(ws);

    const installed = mine.nextChange();
    await registry.install(access, { name: 'echoer', version: '1.0.0' });
    await installed;
    expect(await names(mine)).toContain('plugin_echoer_echo');
    const result = await mine.client.callTool({ name: 'plugin_echoer_echo', arguments: { n: 1 } });
    expect(result.structuredContent).toEqual({ n: 1 });

    const upgraded = mine.nextChange();
    await registry.changeVersion(access, 'echoer', '1.1.0');
    await upgraded;
    const listed = (await mine.client.listTools()).tools.find((t) => t.name === 'plugin_echoer_echo');
    expect(listed?.description).toContain('faster');

    const disabled = mine.nextChange();
    await registry.setEnabled(access, 'echoer', false);
    await disabled;
    expect(await names(mine)).not.toContain('plugin_echoer_echo');
    const gone = await mine.client.callTool({ name: 'plugin_echoer_echo', arguments: {} }).catch((e) => e);
    expect(String(gone)).toContain('Unknown tool: plugin_echoer_echo');

    expect(theirs.changes).toBe(0);
    expect(await names(theirs)).not.toContain('plugin_echoer_echo');
    await Promise.all([mine.client.close(), theirs.client.close()]);
  });

  it("reaches them when another process announces the change (NOTIFY), after that process's commit", async () => {
    const mine = await connect(ws);
    const before = await names(mine);
    const enabled = before.includes('plugin_echoer_echo');
    // What another process does: change the rows, commit, announce.
    await rig
      .db()
      .query(`UPDATE plugin_installations SET status = $3 WHERE workspace_id = $1 AND name = $2`, [
        ws,
        'echoer',
        enabled ? 'disabled' : 'enabled',
      ]);
    const changed = mine.nextChange();
    await rig.db().notify(PLUGIN_CHANGES_CHANNEL, `another-process ${ws}`);
    await changed;
    expect((await names(mine)).includes('plugin_echoer_echo')).toBe(!enabled);
    await mine.client.close();
  });

  it('is announced as a capability', async () => {
    const mine = await connect(ws);
    expect(mine.client.getServerCapabilities()?.tools).toEqual({ listChanged: true });
    await mine.client.close();
  });
});
