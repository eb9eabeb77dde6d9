import { SAMPLE_CRM as CRM, type RigUser, usePlatformRig, WAT, wasmOf } from '@airsuite/platform-api/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMcpHttpServer, startMcpHttpServer } from './http-server.ts';
import { createPlatformAuthenticator } from './platform-authenticator.ts';

/**
 * A plugin installed in a workspace, as an MCP client sees it: its function is a tool in
 * tools/list with the manifest's schema and hints, a call returns the plugin's output, and a
 * write its guard refuses comes back as a tool error carrying the guard's reason.
 */

const rig = usePlatformRig({ webhooks: { deliver: false } });
let mcp: RunningMcpHttpServer;
let owner: RigUser;
let ws = '';
let client: Client;

beforeAll(async () => {
  mcp = await startMcpHttpServer({ authenticate: createPlatformAuthenticator(rig.platform()), port: 0 });
  owner = await rig.user('owner');
  ws = await rig.workspace(owner, { connect: true });
  const platform = rig.platform();
  const access = await platform.workspaces.access(await platform.authenticate(owner.accessToken), ws);
  await platform.plugins.registry.publish(access, {
    manifest: {
      name: 'echoer',
      version: '1.0.0',
      description: 'Echoes',
      author: 'AirSuite specs',
      functions: [
        {
          name: 'echo',
          description: 'Returns the object it is given, unchanged.',
          input_schema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
          annotations: { readOnlyHint: true },
        },
      ],
    },
    module: await wasmOf(WAT.echo),
  });
  await platform.plugins.registry.install(access, { name: 'echoer', version: '1.0.0' });
  const key = await rig.apiKey(owner, ws, 'editor');
  client = new Client({ name: 'plugin-tools-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(mcp.url), { requestInit: { headers: key.auth } }),
  );
}, 60_000);

afterAll(async () => {
  await client?.close().catch(() => {});
  await mcp?.close();
});

describe('plugin functions over MCP', () => {
  it('are listed with their schema and hints', async () => {
    const { tools } = await client.listTools();
    const echo = tools.find((t) => t.name === 'plugin_echoer_echo');
    expect(echo?.annotations).toMatchObject({ readOnlyHint: true });
    expect(echo?.inputSchema).toMatchObject({
      type: 'object',
      properties: { text: { type: 'string' } },
      required: ['text'],
    });
  });

  it("return the plugin's output, non-ASCII text intact", async () => {
    const result = await client.callTool({
      name: 'plugin_echoer_echo',
      arguments: { text: 'Ça marche — 日本' },
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ text: 'Ça marche — 日本' });
  });

  it('refuse input their schema refuses, as a tool error', async () => {
    const result = await client.callTool({ name: 'plugin_echoer_echo', arguments: { text: 3 } });
    expect(result.isError).toBe(true);
  });

  it("report a guard's refusal of a write with its reason", async () => {
    const platform = rig.platform();
    const access = await platform.workspaces.access(await platform.authenticate(owner.accessToken), ws);
    const { constantAnswer } = await import('@airsuite/platform-api/testing');
    await platform.plugins.registry.publish(access, {
      manifest: {
        name: 'owners',
        version: '1.0.0',
        description: 'Guard',
        author: 'AirSuite specs',
        hooks: { before_write: {} },
      },
      module: await wasmOf(
        constantAnswer('before_write', '{"decision":"refuse","reason":"deals need an owner"}'),
      ),
    });
    await platform.plugins.registry.install(access, { name: 'owners', version: '1.0.0' });
    const result = await client.callTool({
      name: 'create_records',
      arguments: { base_id: CRM, table: 'Deals', records: [{ fields: { 'Deal Name': 'Ownerless' } }] },
    });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('write refused by owners: deals need an owner');
  });
});
