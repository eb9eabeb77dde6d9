import type { Readable, Writable } from 'node:stream';
import { createCatalogue } from '@airsuite/tools';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { closeOnce } from './close-once.ts';
import { createMcpServer } from './create-mcp-server.ts';
import { type Env, policyFromEnv } from './policy-from-env.ts';
import { createUpstreamFromEnv } from './upstream.ts';

export interface StdioServerOptions {
  env: Env;
  stdin?: Readable;
  /** The protocol stream: nothing else is ever written here. */
  stdout?: Writable;
  /** Operator log lines. Default: process.stderr. */
  stderr?: (line: string) => void;
}

export interface RunningStdioServer {
  /** Resolves when the client closes the connection (stdin ends) or `close()` is called. */
  closed: Promise<void>;
  close(): Promise<void>;
}

/**
 * Serves the catalogue over stdio with an in-process gateway. Throws McpConfigError
 * (MCP_MISSING_AIRTABLE_TOKEN, MCP_INVALID_SETTING) before touching stdout.
 */
export async function runStdioServer(options: StdioServerOptions): Promise<RunningStdioServer> {
  const stderr = options.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  const stdin = options.stdin ?? process.stdin;
  const policy = policyFromEnv(options.env);
  const upstream = await createUpstreamFromEnv(options.env);
  const server = createMcpServer({
    tools: createCatalogue(policy),
    policy,
    contextFor: () => ({
      airtable: upstream.airtable,
      operations: upstream.operations,
      caller: { id: 'mcp-stdio' },
    }),
    onInternalError: (error, where) =>
      stderr(`airsuite mcp: ${where} failed: ${error instanceof Error ? error.message : String(error)}`),
  });
  const transport = new StdioServerTransport(stdin, options.stdout ?? process.stdout);
  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  // stdin's end, the transport's onclose (fired again by server.close() itself) and the
  // caller may all ask to close: the shutdown runs once.
  const close = closeOnce(async () => {
    stdin.off('end', onEnd);
    stderr('airsuite mcp: closing the stdio server');
    await server.close().catch(() => {});
    await upstream.close().catch(() => {});
    resolveClosed();
  });
  const onEnd = () => void close();
  stdin.on('end', onEnd);
  transport.onclose = () => void close();
  await server.connect(transport);
  stderr(
    `airsuite mcp: serving ${policy.readOnly ? 'read-only ' : ''}tools over stdio (upstream ${upstream.engine.options.upstreamUrl})`,
  );
  return { closed, close };
}
