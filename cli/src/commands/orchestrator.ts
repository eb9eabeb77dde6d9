import { createGatewayEngine } from '@airsuite/airtable-gateway';
import { startOrchestratorServer, WEB_ROOT } from '@airsuite/orchestrator';
import type { Command } from 'commander';
import { pino } from 'pino';
import { chatSettings, createChatRuntime } from '../chat-runtime.ts';
import type { Env } from '../emulator-config.ts';
import { gatewaySettingsFrom } from '../gateway-config.ts';
import type { CliIo } from '../io.ts';
import { openPlatformRuntime } from '../platform-runtime.ts';

export function registerOrchestratorCommand(program: Command, io: CliIo, env: Env): void {
  program
    .command('orchestrator')
    .description('run the chat alone: the Gemini chat API (REST + SSE) and the web chat page on port 8003')
    .option(
      '-p, --port <port>',
      'port to listen on (env ORCHESTRATOR_PORT, default 8003; 0 picks a free port)',
    )
    .addHelpText(
      'after',
      [
        '',
        'Environment:',
        '  GEMINI_API_KEY       Gemini API key (without it, chat answers with a clear error)',
        '  GEMINI_MODEL         model id (default gemini-2.5-flash)',
        '  GEMINI_BASE_URL      Gemini API base URL (proxies, gateways, tests)',
        '  AIRSUITE_MCP_URL     call tools through this MCP server over HTTP (default: an in-process MCP server)',
        '  CHAT_MAX_STEPS, CHAT_MAX_SECONDS, CHAT_TURN_TOKEN_BUDGET, CHAT_HISTORY_TOKENS, CHAT_BULK_WRITE_THRESHOLD',
        '  DATABASE_URL, AIRSUITE_DATA_DIR, AIRSUITE_SECRET_KEY, AIRTABLE_API_URL, REDIS_URL (as for `platform`)',
      ].join('\n'),
    )
    .action(async (flags: { port?: string }) => {
      const runEnv = flags.port ? { ...env, ORCHESTRATOR_PORT: flags.port } : env;
      const settings = chatSettings(runEnv);
      const logger = pino({ level: env.LOG_LEVEL ?? 'info' }, pino.destination(2));
      const engine = await createGatewayEngine({ ...gatewaySettingsFrom({}, env).engine, logger });
      const runtime = await openPlatformRuntime(runEnv, engine, io).catch(async (error: unknown) => {
        await engine.close();
        throw error;
      });
      const chat = createChatRuntime(runtime, settings, env.AIRSUITE_MCP_URL?.trim() || undefined);
      const server = await startOrchestratorServer({
        platform: runtime.platform,
        chat,
        port: settings.port,
        host: settings.host,
        webRoot: WEB_ROOT,
        logger,
      });
      io.stdout(`AirSuite chat on ${server.url}/ (API under ${server.url}/v1/conversations)`);
      if (!settings.geminiApiKey)
        io.stdout('  Gemini is not configured: set GEMINI_API_KEY (or a workspace key).');
      await io.waitForShutdown();
      await server.close();
      await runtime.close();
      await engine.close();
    });
}
