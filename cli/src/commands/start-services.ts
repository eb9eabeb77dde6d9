import { createGatewayEngine, type GatewayEngine, startGatewayServer } from '@airsuite/airtable-gateway';
import { createPlatformAuthenticator, startMcpHttpServer } from '@airsuite/mcp-server';
import {
  type ChatService,
  conversationRoutes,
  startOrchestratorServer,
  WEB_ROOT,
} from '@airsuite/orchestrator';
import { type Logger, pino } from 'pino';
import { createChatRuntime } from '../chat-runtime.ts';
import type { Env } from '../emulator-config.ts';
import type { CliIo } from '../io.ts';
import { openPlatformRuntime, type PlatformRuntime } from '../platform-runtime.ts';
import { listenAs, PORT_OWNERS } from '../port-in-use.ts';
import type { Closer } from './closer.ts';
import type { StartPlan } from './start-plan.ts';

/** What `airsuite start` runs beside the emulator, each closed by `cleanup` in reverse order. */
export interface StartedServices {
  runtime: PlatformRuntime;
  platformUrl: string;
  mcpUrl: string;
  chatUrl: string;
}

interface ServiceContext {
  plan: StartPlan;
  io: CliIo;
  cleanup: Closer;
  logger: Logger;
}

async function startGateway(
  { plan, io, cleanup, logger }: ServiceContext,
  emulatorUrl: string,
): Promise<GatewayEngine> {
  const { gatewaySettings } = plan;
  const engine = await createGatewayEngine({
    ...gatewaySettings.engine,
    ...(plan.realAirtable ? {} : { upstreamUrl: emulatorUrl }),
    logger,
  });
  cleanup.add(() => engine.close());
  const gateway = await listenAs({ ...PORT_OWNERS.gateway, flag: '--gateway-port' }, () =>
    startGatewayServer({
      engine,
      port: gatewaySettings.port,
      host: gatewaySettings.host,
      recordCache: gatewaySettings.recordCache,
    }),
  );
  cleanup.add(() => gateway.close());
  io.stdout(`Airtable gateway listening on ${gateway.url} (upstream ${engine.options.upstreamUrl})`);
  return engine;
}

async function startPlatform({ plan, io, cleanup, logger }: ServiceContext, engine: GatewayEngine) {
  const runtime = await openPlatformRuntime(plan.runEnv, engine, io);
  cleanup.add(() => runtime.close());
  const chat = createChatRuntime(runtime, plan.chatConfig);
  cleanup.add(() => chat.close());
  // The platform's API documents (and serves) the conversations too.
  const platform = await listenAs({ ...PORT_OWNERS.platform, flag: '--platform-port' }, () =>
    runtime.serve(logger, [conversationRoutes({ platform: runtime.platform, chat })]),
  );
  cleanup.add(() => platform.close());
  io.stdout(`Platform API on ${platform.url}/v1 (reference: ${platform.url}/docs)`);
  return { runtime, chat, platformUrl: platform.url };
}

async function startMcp({ plan, io, cleanup }: ServiceContext, runtime: PlatformRuntime): Promise<string> {
  // The MCP server shares the gateway's engine, so every tool call spends the same budgets.
  const mcp = await listenAs({ ...PORT_OWNERS.mcp, flag: '--mcp-port' }, () =>
    startMcpHttpServer({
      ...plan.listen,
      authenticate: createPlatformAuthenticator(runtime.platform),
    }),
  );
  cleanup.add(() => mcp.close());
  io.stdout(`MCP server (Streamable HTTP) on ${mcp.url}`);
  return mcp.url;
}

async function startChat(
  { plan, io, cleanup, logger }: ServiceContext,
  runtime: PlatformRuntime,
  chat: ChatService,
): Promise<string> {
  const { chatConfig } = plan;
  const orchestrator = await listenAs({ ...PORT_OWNERS.chat, flag: '--orchestrator-port' }, () =>
    startOrchestratorServer({
      platform: runtime.platform,
      chat,
      port: chatConfig.port,
      host: chatConfig.host,
      webRoot: WEB_ROOT,
      logger,
    }),
  );
  cleanup.add(() => orchestrator.close());
  io.stdout(
    `Chat on ${orchestrator.url}/ (Gemini ${chatConfig.geminiApiKey ? chatConfig.geminiModel : 'not configured: set GEMINI_API_KEY'})`,
  );
  return orchestrator.url;
}

/** Starts the gateway (upstream: the emulator unless AIRTABLE_API_URL), the platform, MCP and the chat. */
export async function startServices(
  plan: StartPlan,
  emulatorUrl: string,
  io: CliIo,
  cleanup: Closer,
  env: Env,
): Promise<StartedServices> {
  const logger = pino({ level: env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
  const services: ServiceContext = { plan, io, cleanup, logger };
  const engine = await startGateway(services, emulatorUrl);
  const { runtime, chat, platformUrl } = await startPlatform(services, engine);
  const mcpUrl = await startMcp(services, runtime);
  const chatUrl = await startChat(services, runtime, chat);
  return { runtime, platformUrl, mcpUrl, chatUrl };
}
