import { OPEN_POLICY } from '@airsuite/tools';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { McpConfigError } from './errors.ts';
import { type RunningMcpHttpServer, startMcpHttpServer } from './http-server.ts';
import { stubAirtable, testTools } from './test-kit.ts';

const TOKEN = 'test-mcp-token-0123456789';
let running: RunningMcpHttpServer | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(stateless = false) {
  running = await startMcpHttpServer({
    port: 0,
    authToken: TOKEN,
    stateless,
    tools: testTools(),
    policy: OPEN_POLICY,
    contextFor: () => ({ airtable: stubAirtable(), caller: { id: 'http-test' } }),
  });
  return running;
}

async function connectClient(
  url: string,
  headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` },
) {
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  const client = new Client({ name: 'http-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport };
}

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

function post(url: string, headers: Record<string, string>, body: unknown = initialize) {
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

describe('startMcpHttpServer', () => {
  it('requires an auth token', async () => {
    const refused = startMcpHttpServer({
      port: 0,
      authToken: '',
      tools: [],
      policy: OPEN_POLICY,
      contextFor: () => ({}) as never,
    });
    // A configuration error with its stable code, not some other failure that happens to match.
    await expect(refused).rejects.toBeInstanceOf(McpConfigError);
    await expect(refused).rejects.toMatchObject({ code: 'MCP_MISSING_AUTH_TOKEN' });
  });

  it('answers 401 without the bearer token, or with a wrong one', async () => {
    const { url } = await start();
    for (const headers of <Record<string, string>[]>[
      {},
      { authorization: 'Bearer wrong-token' },
      { authorization: TOKEN },
    ]) {
      const res = await post(url, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(((await res.json()) as { error: { code: number } }).error.code).toBe(-32001);
    }
    await expect(connectClient(url, {})).rejects.toThrow();
  });

  it('answers 403 for a foreign Origin or Host (DNS rebinding)', async () => {
    const { url } = await start();
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await post(url, { ...auth, origin: 'https://evil.example' })).status).toBe(403);
    const port = new URL(url).port;
    const rebound = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ request }) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            path: '/mcp',
            method: 'POST',
            headers: { host: `evil.example:${port}`, ...auth },
          },
          (res) => resolve(res.statusCode ?? 0),
        );
        req.on('error', reject);
        req.end('{}');
      });
    });
    expect(rebound).toBe(403);
    expect((await post(url, { ...auth, origin: `http://localhost:${port}` })).status).toBe(200);
  });

  it('keeps sessions with Mcp-Session-Id; DELETE ends one; unknown sessions get 404', async () => {
    const server = await start();
    const { client, transport } = await connectClient(server.url);
    expect(transport.sessionId).toMatch(/^[\x21-\x7e]+$/);
    expect(server.sessionCount()).toBe(1);
    const result = await client.callTool({ name: 'echo_text', arguments: { text: 'hi' } });
    expect(result.structuredContent).toEqual({ text: 'hi', length: 2 });
    await transport.terminateSession();
    expect(server.sessionCount()).toBe(0);
    const res = await post(
      server.url,
      { authorization: `Bearer ${TOKEN}`, 'mcp-session-id': transport.sessionId ?? 'gone' },
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
    );
    expect(res.status).toBe(404);
    await client.close();
  });

  it('serves stateless requests without a session id', async () => {
    const server = await start(true);
    const { client, transport } = await connectClient(server.url);
    expect(transport.sessionId).toBeUndefined();
    const result = await client.callTool({ name: 'echo_text', arguments: { text: 'stateless' } });
    expect(result.structuredContent).toEqual({ text: 'stateless', length: 9 });
    expect(server.sessionCount()).toBe(0);
    await client.close();
  });

  it('answers arguments that fail the schema with an isError result carrying TOOL_INVALID_INPUT', async () => {
    const server = await start();
    const { client } = await connectClient(server.url);
    const result = await client.callTool({ name: 'echo_text', arguments: { text: 42 } });
    expect(result.isError).toBe(true);
    expect(result._meta).toMatchObject({
      airsuite: { code: 'TOOL_INVALID_INPUT', details: { issues: [{ path: 'text' }] } },
    });
    await client.close();
  });

  it('reads "arguments": null as no arguments, answering with the same tool error, not -32603', async () => {
    const server = await start(true);
    const res = await post(
      server.url,
      { authorization: `Bearer ${TOKEN}` },
      { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'echo_text', arguments: null } },
    );
    expect(res.status).toBe(200);
    const body = await res.text();
    // A JSON body or one SSE event, whichever the transport chose.
    const message = JSON.parse(/^data: (.*)$/m.exec(body)?.[1] ?? body) as {
      result?: { isError?: boolean; _meta?: { airsuite?: { code?: string; details?: unknown } } };
      error?: unknown;
    };
    expect(message.error).toBeUndefined();
    expect(message.result?.isError).toBe(true);
    expect(message.result?._meta?.airsuite).toMatchObject({
      code: 'TOOL_INVALID_INPUT',
      details: { issues: [{ path: 'text' }] },
    });
  });

  for (const stateless of [false, true]) {
    it(`never crosses answers between 20 concurrent clients with colliding JSON-RPC ids (${stateless ? 'stateless' : 'sessions'})`, async () => {
      const server = await start(stateless);
      const clients = await Promise.all(Array.from({ length: 20 }, () => connectClient(server.url)));
      // Every Client numbers its requests from 0, so the ids of these calls collide across clients.
      const answers = await Promise.all(
        clients.map(async ({ client }, i) => {
          const texts: string[] = [];
          for (let round = 0; round < 3; round++) {
            const result = await client.callTool({
              name: 'echo_text',
              arguments: { text: `client-${i}-round-${round}` },
            });
            texts.push((result.structuredContent as { text: string }).text);
          }
          return texts;
        }),
      );
      answers.forEach((texts, i) => {
        expect(texts).toEqual([0, 1, 2].map((round) => `client-${i}-round-${round}`));
      });
      if (!stateless) expect(server.sessionCount()).toBe(20);
      await Promise.all(clients.map(({ client }) => client.close()));
    });
  }
});
