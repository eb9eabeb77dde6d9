import { type RigUser, usePlatformRig } from '@airsuite/platform-api/testing';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpAuthError } from './identity.ts';
import { inMemoryMcpClients } from './in-memory-client.ts';

const rig = usePlatformRig();
const opened: Client[] = [];
let owner: RigUser;
let ws = '';
let connect: ReturnType<typeof inMemoryMcpClients>;

beforeAll(async () => {
  owner = await rig.user('owner');
  ws = await rig.workspace(owner, { connect: true });
  const connectOnce = inMemoryMcpClients(rig.platform(), { clientInfo: { name: 'spec', version: '1' } });
  connect = async (request) => {
    const client = await connectOnce(request);
    opened.push(client);
    return client;
  };
}, 60_000);

afterAll(async () => {
  await Promise.all(opened.map((client) => client.close().catch(() => {})));
});

const bearerOf = (auth: { authorization: string }) => auth.authorization.slice('Bearer '.length);

describe('inMemoryMcpClients: one process, authenticated exactly as over HTTP', () => {
  it("lists a viewer key's catalogue without a single write tool, and runs its reads", async () => {
    const viewer = await rig.apiKey(owner, ws, 'viewer');
    const client = await connect({ bearer: viewer.key, workspaceId: ws });
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('list_records');
    // run_plugin_function only: the function's own role refuses a viewer any that is not read-only.
    expect(tools.filter((tool) => tool.annotations?.readOnlyHint !== true).map((tool) => tool.name)).toEqual([
      'run_plugin_function',
    ]);
    const me = await client.callTool({ name: 'whoami', arguments: {} });
    expect(me.isError).toBeFalsy();
    expect(me.structuredContent).toMatchObject({ workspace: { id: ws }, role: 'viewer' });
  });

  it("gives an editor's user token the write tools of the workspace it names", async () => {
    const client = await connect({ bearer: bearerOf(owner.auth), workspaceId: ws });
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['create_records', 'update_records', 'delete_records']));
  });

  it.each([
    ['a garbage bearer', () => ({ bearer: 'not-a-token', workspaceId: ws }), 401, 'AUTH_INVALID_TOKEN'],
    ['an empty bearer', () => ({ bearer: '', workspaceId: ws }), 401, 'AUTH_REQUIRED'],
    [
      'a workspace the caller is not in',
      () => ({ bearer: bearerOf(owner.auth), workspaceId: 'wsp_notMineAtAll12' }),
      404,
      'WORKSPACE_NOT_FOUND',
    ],
  ])('refuses %s with McpAuthError and its stable code', async (_label, request, status, code) => {
    const refusal = connect(request());
    await expect(refusal).rejects.toBeInstanceOf(McpAuthError);
    await expect(refusal).rejects.toMatchObject({ status, code });
  });

  it('refuses a key revoked a moment ago', async () => {
    const editor = await rig.apiKey(owner, ws, 'editor');
    const revoked = await rig.call('DELETE', `/v1/workspaces/${ws}/api-keys/${editor.id}`, {
      auth: owner.auth,
    });
    expect(revoked.statusCode).toBe(204);
    await expect(connect({ bearer: editor.key, workspaceId: ws })).rejects.toMatchObject({
      code: 'AUTH_API_KEY_REVOKED',
    });
  });

  it('closes its in-memory server with the client', async () => {
    const viewer = await rig.apiKey(owner, ws, 'viewer');
    const client = await connect({ bearer: viewer.key, workspaceId: ws });
    await client.close();
    await expect(client.listTools()).rejects.toThrow();
  });
});
