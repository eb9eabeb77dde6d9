import { PassThrough } from 'node:stream';
import {
  SAMPLE_CRM as CRM,
  type RigUser,
  SAMPLE_ROADMAP as ROADMAP,
  usePlatformRig,
} from '@airsuite/platform-api/testing';
import { createCatalogue, type WorkspaceRole } from '@airsuite/tools';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMcpHttpServer, startMcpHttpServer } from './http-server.ts';
import { createPlatformAuthenticator } from './platform-authenticator.ts';
import { runStdioBridge } from './stdio-bridge.ts';

const rig = usePlatformRig();
let mcp: RunningMcpHttpServer;
let stateless: RunningMcpHttpServer;
let owner: RigUser;
/** The owner's connected workspace, with one API key per role. */
let ws = '';
const keys = {} as Record<
  'viewer' | 'editor' | 'admin' | 'owner',
  { id: string; key: string; auth: { authorization: string } }
>;
const clients: Client[] = [];

beforeAll(async () => {
  const authenticate = createPlatformAuthenticator(rig.platform());
  mcp = await startMcpHttpServer({ authenticate, port: 0 });
  stateless = await startMcpHttpServer({ authenticate, port: 0, stateless: true });
  owner = await rig.user('owner');
  ws = await rig.workspace(owner, { connect: true });
  for (const role of ['viewer', 'editor', 'admin', 'owner'] as const)
    keys[role] = await rig.apiKey(owner, ws, role);
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  await mcp?.close();
  await stateless?.close();
});

async function connect(headers: Record<string, string>, url = mcp.url) {
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  const client = new Client({ name: 'platform-identity-test', version: '1.0.0' });
  await client.connect(transport);
  clients.push(client);
  return { client, transport };
}

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

function post(headers: Record<string, string>, body: unknown = initialize, url = mcp.url) {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

/** The stable code the server puts before the message of a refusal (`AUTH_REQUIRED: …`). */
async function refusal(res: Response): Promise<{ rpcCode: number; code: string | undefined; body: unknown }> {
  const body = (await res.json()) as { error: { code: number; message: string }; result?: unknown };
  expect(body.result).toBeUndefined();
  return { rpcCode: body.error.code, code: /^([A-Z_]+):/.exec(body.error.message)?.[1], body };
}

/** Companies in the emulator itself with this exact name (not through the platform). */
async function companiesNamed(name: string): Promise<number> {
  const formula = encodeURIComponent(`{Name}='${name}'`);
  const res = await fetch(`${rig.emulator().url}/v0/${CRM}/Companies?filterByFormula=${formula}`, {
    headers: { authorization: `Bearer ${rig.airtableToken()}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { records: unknown[] }).records.length;
}

const expectedTools = (role: WorkspaceRole) =>
  createCatalogue({ readOnly: role === 'viewer' }, { role, platform: true })
    .map((t) => t.name)
    .sort();
const PLATFORM_TOOLS = [
  'whoami',
  'list_workspaces',
  'list_members',
  'list_connections',
  'list_audit_events',
  'list_webhooks',
  'create_webhook',
  'send_test_webhook',
];

describe('MCP over HTTP with platform identities', () => {
  it.each(['viewer', 'editor', 'admin', 'owner'] as const)(
    'an API key of role %s lists exactly its tools',
    async (role) => {
      const { client } = await connect(keys[role].auth);
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name).sort();
      expect(names).toEqual(expectedTools(role));
      if (role === 'viewer') {
        // run_plugin_function only: the function's own role refuses a viewer any that is not read-only.
        expect(tools.filter((t) => t.annotations?.readOnlyHint !== true).map((t) => t.name)).toEqual([
          'run_plugin_function',
        ]);
        expect(names).not.toContain('create_records');
        expect(names).not.toContain('list_audit_events');
      }
      if (role === 'editor') {
        expect(names).toContain('create_records');
        expect(names).not.toContain('list_audit_events');
        expect(names.filter((name) => name.includes('webhook'))).toEqual([]);
      }
      if (role === 'admin' || role === 'owner') expect(names).toEqual(expect.arrayContaining(PLATFORM_TOOLS));
    },
  );

  it('a viewer key cannot call a write tool, and nothing is written', async () => {
    const { client } = await connect(keys.viewer.auth);
    const name = 'Viewer Wrote This Ltd';
    const call = client.callTool({
      name: 'create_records',
      arguments: { base_id: CRM, table: 'Companies', records: [{ fields: { Name: name } }] },
    });
    // Not an AirSuite tool result: the tool is not served to this caller at all, and MCP
    // answers a call to an unknown tool with a protocol error.
    await expect(call).rejects.toMatchObject({ code: ErrorCode.InvalidParams });
    expect(await companiesNamed(name)).toBe(0);
  });

  it('an editor key reads and writes the workspace connection, and each call is audited', async () => {
    const { client } = await connect(keys.editor.auth);
    const listed = await client.callTool({
      name: 'list_records',
      arguments: { base_id: CRM, table: 'Companies', page_size: 10 },
    });
    expect(listed.isError).toBeFalsy();
    const upstream = await fetch(`${rig.emulator().url}/v0/${CRM}/Companies?pageSize=10`, {
      headers: { authorization: `Bearer ${rig.airtableToken()}` },
    });
    const expectedIds = ((await upstream.json()) as { records: { id: string }[] }).records.map((r) => r.id);
    expect(expectedIds.length).toBeGreaterThan(0);
    expect((listed.structuredContent as { records: { id: string }[] }).records.map((r) => r.id)).toEqual(
      expectedIds,
    );

    const name = 'Editor Wrote This Ltd';
    const created = await client.callTool({
      name: 'create_records',
      arguments: { base_id: CRM, table: 'Companies', records: [{ fields: { Name: name } }] },
    });
    expect(created.isError).toBeFalsy();
    expect(created.structuredContent).toMatchObject({ ok: true, created: 1 });
    expect(await companiesNamed(name)).toBe(1);

    const rows = await rig
      .db()
      .query<{ target_id: string; outcome: string; workspace_id: string; actor_type: string }>(
        `SELECT target_id, outcome, workspace_id, actor_type FROM audit_events
          WHERE action = 'tool.call' AND actor_id = $1 ORDER BY seq`,
        [keys.editor.id],
      );
    expect(rows).toEqual([
      { target_id: 'list_records', outcome: 'success', workspace_id: ws, actor_type: 'api_key' },
      { target_id: 'create_records', outcome: 'success', workspace_id: ws, actor_type: 'api_key' },
    ]);
  });

  it('whoami returns the key, its workspace and its role', async () => {
    const { client } = await connect(keys.admin.auth);
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      api_key: { id: keys.admin.id },
      workspace: { id: ws },
      role: 'admin',
      authenticated_with: 'api_key',
    });
  });

  it('create_webhook to a loopback URL (not allow-listed) is an error result that says what to do', async () => {
    const { client } = await connect(keys.admin.auth);
    const result = await client.callTool({
      name: 'create_webhook',
      arguments: { url: 'http://127.0.0.1:8999/hooks', event_types: ['*'] },
    });
    expect(result.isError).toBe(true);
    expect(result._meta).toEqual({
      airsuite: { code: 'TOOL_INVALID_INPUT', details: { platformCode: 'WEBHOOK_URL_FORBIDDEN' } },
    });
    expect((result.content as { text: string }[])[0]?.text).toMatch(
      /^TOOL_INVALID_INPUT: url: .*deliveries go only to public addresses/,
    );
    const rows = await rig.db().query('SELECT id FROM webhook_endpoints WHERE workspace_id = $1', [ws]);
    expect(rows).toEqual([]);
  });

  it('an editor key is not served the webhook tools: calling one is a protocol error', async () => {
    const { client } = await connect(keys.editor.auth);
    const call = client.callTool({ name: 'list_webhooks', arguments: {} });
    await expect(call).rejects.toMatchObject({ code: ErrorCode.InvalidParams });
  });

  it.each([
    ['no bearer', {}, 'AUTH_REQUIRED'],
    ['a garbage bearer', { authorization: 'Bearer not-a-token' }, 'AUTH_INVALID_TOKEN'],
    ['a garbage API key', { authorization: `Bearer ask_live_${'x'.repeat(40)}` }, 'AUTH_INVALID_TOKEN'],
  ])('answers 401 with the code for %s', async (_label, headers, code) => {
    const res = await post(headers);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await refusal(res)).toMatchObject({ rpcCode: -32001, code });
  });

  it('a revoked key stops working on its open session at the very next request', async () => {
    const key = await rig.apiKey(owner, ws, 'editor');
    const { client, transport } = await connect(key.auth);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    const revoked = await rig.call('DELETE', `/v1/workspaces/${ws}/api-keys/${key.id}`, { auth: owner.auth });
    expect(revoked.statusCode).toBe(204);
    const error = await client.listTools().then(
      () => undefined,
      (e: unknown) => e as { code: number; message: string },
    );
    expect(error?.code).toBe(401);
    expect(error?.message).toContain('AUTH_API_KEY_REVOKED');
    const raw = await post(
      { ...key.auth, 'mcp-session-id': transport.sessionId ?? '' },
      {
        jsonrpc: '2.0',
        id: 9,
        method: 'tools/list',
      },
    );
    expect(raw.status).toBe(401);
    expect(await refusal(raw)).toMatchObject({ code: 'AUTH_API_KEY_REVOKED' });
  });

  describe('access tokens', () => {
    let member: RigUser;
    let wsA = '';
    let wsB = '';
    let foreign = '';

    beforeAll(async () => {
      member = await rig.user('member');
      wsA = ws;
      wsB = await rig.workspace(owner, { connect: true });
      await rig.addMember(owner, wsA, member, 'editor');
      await rig.addMember(owner, wsB, member, 'viewer');
      foreign = await rig.workspace(await rig.user('stranger'));
    });

    it('of a user in two workspaces, without the header: 400 AUTH_WORKSPACE_REQUIRED', async () => {
      const res = await post(member.auth);
      expect(res.status).toBe(400);
      expect(await refusal(res)).toMatchObject({ rpcCode: -32001, code: 'AUTH_WORKSPACE_REQUIRED' });
    });

    it.each([
      ['A', 'editor'],
      ['B', 'viewer'],
    ] as const)('with X-AirSuite-Workspace of workspace %s: its role (%s)', async (which, role) => {
      const workspaceId = which === 'A' ? wsA : wsB;
      const { client } = await connect({ ...member.auth, 'x-airsuite-workspace': workspaceId });
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(expectedTools(role));
      const me = await client.callTool({ name: 'whoami', arguments: {} });
      expect(me.structuredContent).toMatchObject({
        user: { id: member.id, email: member.email },
        workspace: { id: workspaceId },
        role,
        authenticated_with: 'access_token',
      });
    });

    it('a member demoted to viewer keeps no write tool on a session opened as editor', async () => {
      const demoted = await rig.user('demoted');
      await rig.addMember(owner, wsA, demoted, 'editor');
      const { client } = await connect(demoted.auth);
      expect((await client.listTools()).tools.map((t) => t.name)).toContain('create_records');
      const changed = await rig.call('PATCH', `/v1/workspaces/${wsA}/members/${demoted.id}`, {
        auth: owner.auth,
        body: { role: 'viewer' },
      });
      expect(changed.statusCode).toBe(200);
      const name = 'Demoted Wrote This Ltd';
      // The session was opened by an editor; a viewer must start a new one (404 Session not found).
      await expect(
        client.callTool({
          name: 'create_records',
          arguments: { base_id: CRM, table: 'Companies', records: [{ fields: { Name: name } }] },
        }),
      ).rejects.toMatchObject({ code: 404 });
      expect(await companiesNamed(name)).toBe(0);
      const again = await connect(demoted.auth);
      expect((await again.client.listTools()).tools.map((t) => t.name).sort()).toEqual(
        expectedTools('viewer'),
      );
    });

    it('with a workspace the user is not in: 404 WORKSPACE_NOT_FOUND', async () => {
      for (const workspaceId of [foreign, 'wsp_does_not_exist']) {
        const res = await post({ ...member.auth, 'x-airsuite-workspace': workspaceId });
        expect(res.status).toBe(404);
        expect(await refusal(res)).toMatchObject({ rpcCode: -32001, code: 'WORKSPACE_NOT_FOUND' });
      }
    });
  });

  it("refuses another workspace's key on a session it did not open (404, no data)", async () => {
    const otherOwner = await rig.user('other');
    const wsOther = await rig.workspace(otherOwner, { connect: true });
    const otherKey = await rig.apiKey(otherOwner, wsOther, 'admin');
    const { client, transport } = await connect(keys.admin.auth);
    const sessionId = transport.sessionId ?? '';
    expect(sessionId).not.toBe('');
    for (const body of [
      { jsonrpc: '2.0', id: 5, method: 'tools/list' },
      { jsonrpc: '2.0', id: 6, method: 'tools/call', params: { name: 'whoami', arguments: {} } },
    ]) {
      const res = await post({ ...otherKey.auth, 'mcp-session-id': sessionId }, body);
      expect(res.status).toBe(404);
      const text = await res.text();
      expect(text).not.toContain(ws);
      expect(JSON.parse(text)).toMatchObject({ error: { code: -32001 } });
      expect(JSON.parse(text).result).toBeUndefined();
    }
    // Another key of the same workspace is another identity too.
    const res = await post(
      { ...keys.viewer.auth, 'mcp-session-id': sessionId },
      { jsonrpc: '2.0', id: 7, method: 'tools/list' },
    );
    expect(res.status).toBe(404);
    // The session itself is unharmed.
    const me = await client.callTool({ name: 'whoami', arguments: {} });
    expect(me.structuredContent).toMatchObject({ workspace: { id: ws }, role: 'admin' });
  });

  it('a connection limited to some bases shows only those, over tools and resources', async () => {
    const limited = await rig.workspace(owner, { connect: true, bases: [ROADMAP] });
    const key = await rig.apiKey(owner, limited, 'editor');
    const { client } = await connect(key.auth);
    const bases = await client.callTool({ name: 'list_bases', arguments: {} });
    expect(bases.isError).toBeFalsy();
    expect((bases.structuredContent as { bases: { id: string }[] }).bases.map((b) => b.id)).toEqual([
      ROADMAP,
    ]);
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual([`airtable://bases/${ROADMAP}/schema`]);
    await expect(client.readResource({ uri: `airtable://bases/${CRM}/schema` })).rejects.toMatchObject({
      code: ErrorCode.InvalidParams,
    });
    const allowed = await client.readResource({ uri: `airtable://bases/${ROADMAP}/schema` });
    expect(JSON.parse((allowed.contents[0] as { text: string }).text)).toMatchObject({ baseId: ROADMAP });
    const records = await client.callTool({
      name: 'list_records',
      arguments: { base_id: CRM, table: 'Companies' },
    });
    expect(records).toMatchObject({ isError: true, _meta: { airsuite: { code: 'TOOL_NOT_ALLOWED' } } });
  });

  it('stateless mode serves an API key too', async () => {
    const { client, transport } = await connect(keys.editor.auth, stateless.url);
    expect(transport.sessionId).toBeUndefined();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(expectedTools('editor'));
    const me = await client.callTool({ name: 'whoami', arguments: {} });
    expect(me.structuredContent).toMatchObject({
      api_key: { id: keys.editor.id },
      workspace: { id: ws },
      role: 'editor',
    });
    expect(stateless.sessionCount()).toBe(0);
    const res = await post({ authorization: 'Bearer not-a-token' }, initialize, stateless.url);
    expect(res.status).toBe(401);
  });
});

describe('runStdioBridge', () => {
  /** Newline-delimited JSON-RPC in, answers by id out, with a deadline so a lost answer fails rather than hangs. */
  async function bridge(apiKey: string) {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr: string[] = [];
    const running = await runStdioBridge({
      url: mcp.url,
      apiKey,
      stdin,
      stdout,
      stderr: (l) => stderr.push(l),
    });
    const answers = new Map<number, Record<string, unknown>>();
    const waiting = new Map<number, () => void>();
    let buffer = '';
    stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const message = JSON.parse(buffer.slice(0, newline)) as { id?: number };
        buffer = buffer.slice(newline + 1);
        if (typeof message.id === 'number') {
          answers.set(message.id, message);
          waiting.get(message.id)?.();
        }
        newline = buffer.indexOf('\n');
      }
    });
    const send = (message: object) => stdin.write(`${JSON.stringify(message)}\n`);
    const answer = (id: number) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no answer to request ${id} within 10 s`)), 10_000);
        const done = () => {
          clearTimeout(timer);
          resolve(answers.get(id) ?? {});
        };
        if (answers.has(id)) done();
        else waiting.set(id, done);
      });
    return { send, answer, stderr, end: () => stdin.end(), close: () => running.close() };
  }

  it("relays stdio to the platform: the key's role decides the tools", async () => {
    const b = await bridge(keys.viewer.key);
    try {
      b.send(initialize);
      expect(await b.answer(1)).toMatchObject({ result: { serverInfo: expect.any(Object) } });
      b.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      b.send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
      const listed = (await b.answer(2)) as { result: { tools: { name: string }[] } };
      expect(listed.result.tools.map((t) => t.name).sort()).toEqual(expectedTools('viewer'));
      expect(b.stderr.join('\n')).not.toContain(keys.viewer.key);
    } finally {
      await b.close();
    }
  });

  it('answers a script that pipes every request at once and closes stdin', async () => {
    const b = await bridge(keys.viewer.key);
    try {
      b.send(initialize);
      b.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      b.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'whoami', arguments: {} } });
      b.end();
      expect(await b.answer(1)).toMatchObject({ result: { serverInfo: expect.any(Object) } });
      expect(await b.answer(2)).toMatchObject({ result: { structuredContent: { role: 'viewer' } } });
    } finally {
      await b.close();
    }
  });

  it.each(['revoked', 'garbage'] as const)(
    'answers initialize with a JSON-RPC error for a %s key',
    async (kind) => {
      let apiKey = `ask_live_${'x'.repeat(40)}`;
      if (kind === 'revoked') {
        const key = await rig.apiKey(owner, ws, 'viewer');
        const revoked = await rig.call('DELETE', `/v1/workspaces/${ws}/api-keys/${key.id}`, {
          auth: owner.auth,
        });
        expect(revoked.statusCode).toBe(204);
        apiKey = key.key;
      }
      const b = await bridge(apiKey);
      try {
        b.send(initialize);
        const answer = (await b.answer(1)) as { error?: { code: number; message: string }; result?: unknown };
        expect(answer.result).toBeUndefined();
        expect(answer.error?.code).toBe(-32001);
        expect(answer.error?.message).toContain(
          kind === 'revoked' ? 'AUTH_API_KEY_REVOKED' : 'AUTH_INVALID_TOKEN',
        );
        expect(b.stderr.join('\n')).not.toContain(apiKey);
      } finally {
        await b.close();
      }
    },
  );
});
