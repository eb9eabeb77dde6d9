import { createGatewayEngine } from '@airsuite/airtable-gateway';
import { startOrchestratorServer, WEB_ROOT } from '@airsuite/orchestrator';
import { pino } from 'pino';
import { chatSettings, createChatRuntime } from '../chat-runtime.ts';
import type { Env } from '../emulator-config.ts';
import { gatewaySettingsFrom } from '../gateway-config.ts';
import type { CliIo } from '../io.ts';
import { openPlatformRuntime } from '../platform-runtime.ts';
import { listenAs, PORT_OWNERS } from '../port-in-use.ts';

export interface OrchestratorFlags {
  port?: string;
}

/** `airsuite orchestrator`: the chat API and page alone, until shutdown. */
export async function runOrchestrator(flags: OrchestratorFlags, io: CliIo, env: Env): Promise<void> {
  const runEnv = flags.port ? { ...env, ORCHESTRATOR_PORT: flags.port } : env;
  const settings = chatSettings(runEnv);
  const logger = pino({ level: env.LOG_LEVEL ?? 'info' }, pino.destination(2));
  const engine = await createGatewayEngine({ ...gatewaySettingsFrom({}, env).engine, logger });
  const runtime = await openPlatformRuntime(runEnv, engine, io).catch(async (error: unknown) => {
    await engine.close();
    throw error;
  });
  const chat = createChatRuntime(runtime, settings, env.AIRSUITE_MCP_URL?.trim() || undefined);
  const server = await listenAs({ ...PORT_OWNERS.chat, flag: '--port' }, () =>
    startOrchestratorServer({
      platform: runtime.platform,
      chat,
      port: settings.port,
      host: settings.host,
      webRoot: WEB_ROOT,
      logger,
    }),
  ).catch(async (error: unknown) => {
    await chat.close();
    await runtime.close();
    await engine.close();
    throw error;
  });
  io.stdout(`AirSuite chat on ${server.url}/ (API under ${server.url}/v1/conversations)`);
  if (!settings.geminiApiKey)
    io.stdout('  Gemini is not configured: set GEMINI_API_KEY (or a workspace key).');
  await io.waitForShutdown();
  await server.close();
  await runtime.close();
  await engine.close();
}
