import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createIsolatedSchema } from '@airsuite/platform-api';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/**
 * A private schema in the PostgreSQL of DATABASE_URL, as a URL whose connections use it, so a
 * whole `airsuite start` can run against real PostgreSQL without touching shared tables.
 * Undefined without DATABASE_URL (the embedded database is used then).
 */
export async function isolatedDatabaseUrl(
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  return env.DATABASE_URL ? createIsolatedSchema(env.DATABASE_URL, 'cli') : undefined;
}

async function withClient<T>(
  mcpUrl: string,
  apiKey: string,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({ name: 'cli-start-spec', version: '0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(mcpUrl), {
      requestInit: { headers: { authorization: `Bearer ${apiKey}` } },
    }),
  );
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

export const toolNames = (mcpUrl: string, apiKey: string) =>
  withClient(mcpUrl, apiKey, async (client) => (await client.listTools()).tools.map((t) => t.name));

export const callTool = (mcpUrl: string, apiKey: string, name: string) =>
  withClient(mcpUrl, apiKey, async (client) => {
    const result = await client.callTool({ name, arguments: {} });
    return JSON.stringify(result.content);
  });

/** Tries to start a conversation where no model is configured: the refusal's status and code. */
export async function chatWithoutGemini(
  chatUrl: string,
  apiKey: string,
): Promise<{ status: number; code?: string }> {
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  const created = await fetch(`${chatUrl}/v1/conversations`, { method: 'POST', headers, body: '{}' });
  return { status: created.status, code: ((await created.json()) as { code?: string }).code };
}

const BIN = fileURLToPath(new URL('../bin/airsuite.js', import.meta.url));

/** Every port of `airsuite start` on a free one, so specs never collide with each other or a dev run. */
export const FREE_PORTS = ['--port', '0', '--gateway-port', '0', '--mcp-port', '0', '--platform-port', '0'];

/** An `airsuite` child process, as a user runs it from a terminal. */
export interface AirsuiteProcess {
  out: string[];
  /** Resolves with the first printed line matching `pattern` (waits up to a minute). */
  line(pattern: RegExp): Promise<string>;
  /** The exit code, or the signal's name when a signal ended it. */
  exited: Promise<number | string>;
  kill(signal: NodeJS.Signals): Promise<number | string>;
}

/**
 * Runs `airsuite <args>` from its bin in a child process. Only `env` (plus PATH and HOME) reaches
 * it, so a DATABASE_URL or REDIS_URL of the test run never leaks in unless passed on purpose.
 */
export function spawnAirsuite(args: string[], env: Record<string, string>): AirsuiteProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ORCHESTRATOR_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  const collect = (stream: NodeJS.ReadableStream) => {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      out.push(...lines);
    });
  };
  collect(child.stdout);
  collect(child.stderr);
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return {
    out,
    async line(pattern) {
      for (let i = 0; i < 2400; i++) {
        const found = out.find((l) => pattern.test(l));
        if (found) return found;
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`never printed ${pattern}; output:\n${out.join('\n')}`);
    },
    exited,
    kill(signal) {
      child.kill(signal);
      return exited;
    },
  };
}

/** Calls a tool through the platform's REST API: `{status, body}` (the output, or problem+json). */
export async function restTool(
  platformUrl: string,
  apiKey: string,
  workspaceId: string,
  name: string,
  input: Record<string, unknown>,
): Promise<{ status: number; body: Record<string, unknown> & { code?: string } }> {
  const response = await fetch(`${platformUrl}/v1/workspaces/${workspaceId}/tools/${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
