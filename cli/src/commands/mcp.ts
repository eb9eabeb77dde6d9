import {
  DEFAULT_PLATFORM_MCP_URL,
  McpConfigError,
  type McpRelayError,
  runStdioBridge,
} from '@airsuite/mcp-server/relay';
import type { RunningStdioServer } from '@airsuite/mcp-server/stdio';
import { CliExit } from '../cli-exit.ts';
import { ConfigError } from '../config-error.ts';
import type { Env } from '../emulator-config.ts';
import type { CliIo } from '../io.ts';

export interface McpFlags {
  http?: boolean;
  stateless?: boolean;
}

/** McpConfigError → ConfigError, so the CLI prints it plainly and exits with 2. */
export async function configured<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (McpConfigError.isInstance(error)) throw new ConfigError(error.message);
    throw error;
  }
}

/**
 * `airsuite mcp`. The relay (AIRSUITE_API_KEY) loads only the SDK's transports; standalone
 * (AIRTABLE_TOKEN) adds the stdio surface of the MCP server (catalogue, in-process gateway);
 * --http loads the rest.
 */
export async function runMcp(flags: McpFlags, io: CliIo, env: Env): Promise<void> {
  if (flags.http) {
    const { runMcpHttp } = await import('./mcp-http.ts');
    await runMcpHttp(flags, io, env);
    return;
  }
  // stdout is the protocol stream: every message for the operator goes to stderr.
  const apiKey = env.AIRSUITE_API_KEY?.trim();
  const server: RunningStdioServer & { failure?: McpRelayError } = await configured(() =>
    apiKey
      ? runStdioBridge({
          url: env.AIRSUITE_MCP_URL?.trim() || DEFAULT_PLATFORM_MCP_URL,
          apiKey,
          stderr: io.stderr,
        })
      : import('@airsuite/mcp-server/stdio').then(({ runStdioServer }) =>
          runStdioServer({ env, stderr: io.stderr }),
        ),
  );
  await Promise.race([server.closed, io.waitForShutdown()]);
  await server.close();
  if (server.failure) throw relayExit(server.failure);
}

/** The relay's end as the CLI's exit: a refused key is a setting to fix (2), a platform that is not there 1. */
function relayExit(failure: McpRelayError): Error {
  return failure.code === 'MCP_RELAY_KEY_REFUSED'
    ? new ConfigError(failure.message)
    : new CliExit(failure.message, 1);
}
