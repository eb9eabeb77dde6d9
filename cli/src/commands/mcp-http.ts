import { createGatewayEngine } from '@airsuite/airtable-gateway';
import {
  createPlatformAuthenticator,
  httpListenSettingsFromEnv,
  startMcpHttpServer,
  startMcpHttpServerFromEnv,
} from '@airsuite/mcp-server';
import { pino } from 'pino';
import type { Env } from '../emulator-config.ts';
import { gatewaySettingsFrom } from '../gateway-config.ts';
import type { CliIo } from '../io.ts';
import { openPlatformRuntime } from '../platform-runtime.ts';
import { listenAs, PORT_OWNERS } from '../port-in-use.ts';
import { configured, type McpFlags } from './mcp.ts';

type InternalErrorReporter = (error: unknown, where: string) => void;

/** `airsuite mcp --http`: standalone with AIRTABLE_TOKEN, or for the platform's users without it. */
export async function runMcpHttp(flags: McpFlags, io: CliIo, env: Env): Promise<void> {
  const onInternalError: InternalErrorReporter = (error, where) =>
    io.stderr(`airsuite mcp: ${where} failed: ${error instanceof Error ? error.message : String(error)}`);
  if (!env.AIRTABLE_TOKEN?.trim()) {
    await servePlatformHttp(io, env, flags, onInternalError);
    return;
  }
  // `mcp --http` has no port flag: MCP_PORT moves it.
  const server = await listenAs(PORT_OWNERS.mcp, () =>
    configured(() =>
      startMcpHttpServerFromEnv(env, flags.stateless ? { stateless: true } : {}, onInternalError),
    ),
  );
  io.stdout(
    `AirSuite MCP server (Streamable HTTP${server.settings.stateless ? ', stateless' : ''}) on ${server.url}`,
  );
  await io.waitForShutdown();
  await server.close();
}

/** Streamable HTTP for the platform's users: API keys and access tokens, per-workspace tools. */
async function servePlatformHttp(
  io: CliIo,
  env: Env,
  flags: McpFlags,
  onInternalError: InternalErrorReporter,
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
  const server = await listenAs(PORT_OWNERS.mcp, () =>
    startMcpHttpServer({
      ...listen,
      authenticate: createPlatformAuthenticator(runtime.platform),
      onInternalError,
    }),
  ).catch(async (error: unknown) => {
    await runtime.close();
    await engine.close();
    throw error;
  });
  io.stdout(
    `AirSuite MCP server (Streamable HTTP${listen.stateless ? ', stateless' : ''}, platform API keys) on ${server.url}`,
  );
  await io.waitForShutdown();
  await server.close();
  await runtime.close();
  await engine.close();
}
