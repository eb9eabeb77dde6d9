import { McpConfigError, runStdioServer, startMcpHttpServerFromEnv } from '@airsuite/mcp-server';
import type { Command } from 'commander';
import { ConfigError } from '../config-error.ts';
import type { Env } from '../emulator-config.ts';
import type { CliIo } from '../io.ts';

interface McpFlags {
  http?: boolean;
  stateless?: boolean;
}

/** McpConfigError → ConfigError, so the CLI prints it plainly and exits with 2. */
async function configured<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof McpConfigError) throw new ConfigError(error.message);
    throw error;
  }
}

export function registerMcpCommand(program: Command, io: CliIo, env: Env): void {
  program
    .command('mcp')
    .description(
      'serve the AirSuite tools over MCP: stdio by default (for Claude Desktop and other local clients), or Streamable HTTP with --http',
    )
    .option(
      '--http',
      'serve Streamable HTTP at http://127.0.0.1:<MCP_PORT>/mcp instead of stdio (default port 8001)',
    )
    .option('--stateless', 'with --http: no sessions, a fresh server per request (env MCP_STATELESS=1)')
    .addHelpText(
      'after',
      [
        '',
        'Environment:',
        '  AIRTABLE_TOKEN           Airtable token for the upstream (required)',
        '  AIRTABLE_API_URL         Airtable API origin (default https://api.airtable.com; the emulator URL for local use)',
        '  AIRSUITE_READ_ONLY=1     hide write tools',
        '  AIRSUITE_ALLOWED_BASES   comma-separated base ids the tools may reach',
        '  AIRSUITE_ALLOWED_TABLES  comma-separated table ids or names (optionally baseId/table)',
        '  MCP_PORT, MCP_HOST       HTTP listen address (default 8001, 127.0.0.1)',
        '  MCP_AUTH_TOKEN           bearer token HTTP clients must send (required with --http)',
        '  MCP_ALLOWED_ORIGINS, MCP_ALLOWED_HOSTS  extra browser origins / Host headers to accept',
      ].join('\n'),
    )
    .action(async (flags: McpFlags) => {
      const onInternalError = (error: unknown, where: string) =>
        io.stderr(`airsuite mcp: ${where} failed: ${error instanceof Error ? error.message : String(error)}`);
      if (flags.http) {
        const server = await configured(() =>
          startMcpHttpServerFromEnv(env, flags.stateless ? { stateless: true } : {}, onInternalError),
        );
        io.stdout(
          `AirSuite MCP server (Streamable HTTP${server.settings.stateless ? ', stateless' : ''}) on ${server.url}`,
        );
        await io.waitForShutdown();
        await server.close();
        return;
      }
      // stdout is the protocol stream: every message for the operator goes to stderr.
      const server = await configured(() => runStdioServer({ env, stderr: io.stderr }));
      await Promise.race([server.closed, io.waitForShutdown()]);
      await server.close();
    });
}
