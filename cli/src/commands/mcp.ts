import { createGatewayEngine } from '@airsuite/airtable-gateway';
import {
  createPlatformAuthenticator,
  DEFAULT_PLATFORM_MCP_URL,
  httpListenSettingsFromEnv,
  McpConfigError,
  runStdioBridge,
  runStdioServer,
  startMcpHttpServer,
  startMcpHttpServerFromEnv,
} from '@airsuite/mcp-server';
import type { Command } from 'commander';
import { pino } from 'pino';
import { ConfigError } from '../config-error.ts';
import type { Env } from '../emulator-config.ts';
import { gatewaySettingsFrom } from '../gateway-config.ts';
import type { CliIo } from '../io.ts';
import { openPlatformRuntime } from '../platform-runtime.ts';

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
        '  AIRSUITE_API_KEY         an ask_live_… key: relay stdio to a running AirSuite platform (its workspace,',
        '                           role and connection apply); AIRSUITE_MCP_URL (default http://127.0.0.1:8001/mcp)',
        '  AIRTABLE_TOKEN           standalone: one Airtable token for everything (stdio, or --http with MCP_AUTH_TOKEN)',
        '  (--http without AIRTABLE_TOKEN authenticates platform API keys and access tokens: DATABASE_URL, AIRSUITE_DATA_DIR)',
        '  AIRTABLE_API_URL         Airtable API origin (default https://api.airtable.com; the emulator URL for local use)',
        '  AIRSUITE_READ_ONLY=1     hide write tools',
        '  AIRSUITE_ALLOWED_BASES   comma-separated base ids the tools may reach',
        '  AIRSUITE_ALLOWED_TABLES  comma-separated table ids or names (optionally baseId/table)',
        '  MCP_PORT, MCP_HOST       HTTP listen address (default 8001, 127.0.0.1)',
        '  MCP_AUTH_TOKEN           bearer token HTTP clients must send (standalone --http)',
        '  MCP_ALLOWED_ORIGINS, MCP_ALLOWED_HOSTS  extra browser origins / Host headers to accept',
      ].join('\n'),
    )
    .action(async (flags: McpFlags) => {
      const onInternalError = (error: unknown, where: string) =>
        io.stderr(`airsuite mcp: ${where} failed: ${error instanceof Error ? error.message : String(error)}`);
      if (flags.http && !env.AIRTABLE_TOKEN?.trim()) {
        await servePlatformHttp(io, env, flags, onInternalError);
        return;
      }
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
      const apiKey = env.AIRSUITE_API_KEY?.trim();
      const server = await configured(() =>
        apiKey
          ? runStdioBridge({
              url: env.AIRSUITE_MCP_URL?.trim() || DEFAULT_PLATFORM_MCP_URL,
              apiKey,
              stderr: io.stderr,
            })
          : runStdioServer({ env, stderr: io.stderr }),
      );
      await Promise.race([server.closed, io.waitForShutdown()]);
      await server.close();
    });
}

/** Streamable HTTP for the platform's users: API keys and access tokens, per-workspace tools. */
async function servePlatformHttp(
  io: CliIo,
  env: Env,
  flags: McpFlags,
  onInternalError: (error: unknown, where: string) => void,
): Promise<void> {
  const listen = await configured(async () =>
    httpListenSettingsFromEnv(env, flags.stateless ? { stateless: true } : {}),
  );
  const logger = pino({ level: env.LOG_LEVEL ?? 'info' }, pino.destination(2));
  const engine = await createGatewayEngine({ ...gatewaySettingsFrom({}, env).engine, logger });
  const runtime = await openPlatformRuntime(env, engine, io).catch(async (error: unknown) => {
    await engine.close();
    throw error;
  });
  const server = await startMcpHttpServer({
    ...listen,
    authenticate: createPlatformAuthenticator(runtime.platform),
    onInternalError,
  });
  io.stdout(
    `AirSuite MCP server (Streamable HTTP${listen.stateless ? ', stateless' : ''}, platform API keys) on ${server.url}`,
  );
  await io.waitForShutdown();
  await server.close();
  await runtime.close();
  await engine.close();
}
