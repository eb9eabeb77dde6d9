import { join } from 'node:path';
import { createGatewayEngine, startGatewayServer } from '@airsuite/airtable-gateway';
import {
  createPlatformAuthenticator,
  httpListenSettingsFromEnv,
  McpConfigError,
  startMcpHttpServer,
} from '@airsuite/mcp-server';
import { conversationRoutes, startOrchestratorServer, WEB_ROOT } from '@airsuite/orchestrator';
import { ensureLocalBootstrap, LOCAL_CREDENTIALS_FILE, readLocalCredentials } from '@airsuite/platform-api';
import { pino } from 'pino';
import { chatSettings, createChatRuntime } from '../chat-runtime.ts';
import { ConfigError } from '../config-error.ts';
import { type EmulatorFlags, type Env, emulatorOptionsFrom } from '../emulator-config.ts';
import { gatewaySettingsFrom } from '../gateway-config.ts';
import type { CliIo } from '../io.ts';
import { displayPath, EMULATOR_DATA_SUBDIR } from '../local-data.ts';
import { openPlatformRuntime, platformSettings } from '../platform-runtime.ts';
import { listenAs, PORT_OWNERS } from '../port-in-use.ts';
import { startEmulator } from './emulator.ts';
import { removeStoredData } from './reset.ts';
import { printWelcome } from './start-banner.ts';

export interface StartFlags extends EmulatorFlags {
  gatewayPort?: string;
  mcpPort?: string;
  platformPort?: string;
  orchestratorPort?: string;
  fresh?: boolean;
}

/** Close in reverse order of opening, whatever fails along the way. */
function closer() {
  const steps: (() => Promise<unknown>)[] = [];
  return {
    add(step: () => Promise<unknown>) {
      steps.unshift(step);
    },
    async run() {
      for (const step of steps) await step().catch(() => {});
    },
  };
}

/**
 * `airsuite start`: every service in one process on embedded defaults — the Airtable emulator
 * with the sample bases, the gateway, the platform API and the MCP server (authenticated by
 * the platform's API keys). The first start creates an owner, a workspace connected to the
 * sample bases and an API key; later starts reuse them. Everything a user makes survives a
 * restart: the platform's database and the emulator's records both live in the data directory.
 */
export async function runStart(flags: StartFlags, io: CliIo, env: Env): Promise<void> {
  const runEnv: Env = {
    ...env,
    ...(flags.mcpPort ? { MCP_PORT: flags.mcpPort } : {}),
    ...(flags.platformPort ? { PLATFORM_PORT: flags.platformPort } : {}),
    ...(flags.orchestratorPort ? { ORCHESTRATOR_PORT: flags.orchestratorPort } : {}),
  };
  const settings = platformSettings(runEnv);
  const chatConfig = chatSettings(runEnv);
  let listen: ReturnType<typeof httpListenSettingsFromEnv>;
  try {
    listen = httpListenSettingsFromEnv(runEnv);
  } catch (error) {
    if (McpConfigError.isInstance(error)) throw new ConfigError(error.message);
    throw error;
  }
  // Everything is validated before --fresh removes anything, so a typo never costs data.
  const gatewaySettings = gatewaySettingsFrom({ port: flags.gatewayPort }, env);
  const realAirtable = Boolean(env.AIRTABLE_API_URL);
  const defaultEmulatorDir = join(settings.dataDir, EMULATOR_DATA_SUBDIR);
  const emulatorOptions = emulatorOptionsFrom(flags, env, {
    seed: 'sample',
    dataDir: defaultEmulatorDir,
  });
  const emulatorDir = emulatorOptions.dataDir ?? defaultEmulatorDir;
  const externalDatabase = Boolean(settings.databaseUrl);
  if (flags.fresh) {
    removeStoredData(io, settings.dataDir, { externalDatabase, heading: 'Starting over (--fresh)' });
    // Kept outside the data directory (--data): the emulator itself replaces it with the seed.
    if (emulatorDir !== defaultEmulatorDir)
      io.stdout(`  the emulator's records in ${displayPath(emulatorDir)}: replaced by the seed`);
    emulatorOptions.fresh = true;
  }
  const stored = readLocalCredentials(settings.dataDir);
  // The workspace's stored connection holds this token, so the emulator must accept it again.
  const reuseToken = Boolean(stored?.emulatorToken && !flags.token?.length && !env.EMULATOR_TOKEN);
  if (reuseToken && stored?.emulatorToken) emulatorOptions.tokens = [stored.emulatorToken];
  const cleanup = closer();
  try {
    const emulator = await startEmulator(
      emulatorOptions,
      io,
      reuseToken
        ? `kept in ${displayPath(join(settings.dataDir, LOCAL_CREDENTIALS_FILE))}, mode 0600`
        : undefined,
    );
    cleanup.add(() => emulator.close());
    const logger = pino({ level: env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
    const engine = await createGatewayEngine({
      ...gatewaySettings.engine,
      ...(realAirtable ? {} : { upstreamUrl: emulator.url }),
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

    const runtime = await openPlatformRuntime(runEnv, engine, io);
    cleanup.add(() => runtime.close());
    const chat = createChatRuntime(runtime, chatConfig);
    cleanup.add(() => chat.close());
    // The platform's API documents (and serves) the conversations too.
    const platform = await listenAs({ ...PORT_OWNERS.platform, flag: '--platform-port' }, () =>
      runtime.serve(logger, [conversationRoutes({ platform: runtime.platform, chat })]),
    );
    cleanup.add(() => platform.close());
    io.stdout(`Platform API on ${platform.url}/v1 (reference: ${platform.url}/docs)`);

    // The MCP server shares the gateway's engine, so every tool call spends the same budgets.
    const mcp = await listenAs({ ...PORT_OWNERS.mcp, flag: '--mcp-port' }, () =>
      startMcpHttpServer({
        ...listen,
        authenticate: createPlatformAuthenticator(runtime.platform),
      }),
    );
    cleanup.add(() => mcp.close());
    io.stdout(`MCP server (Streamable HTTP) on ${mcp.url}`);

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

    const emulatorToken = emulator.tokens[0];
    const airtableToken = realAirtable ? env.AIRTABLE_TOKEN?.trim() : emulatorToken;
    const local = await ensureLocalBootstrap({
      platform: runtime.platform,
      dataDir: settings.dataDir,
      ...(airtableToken ? { airtableToken } : {}),
      ...(emulatorToken && !realAirtable ? { emulatorToken } : {}),
    });
    printWelcome(io, {
      local,
      mcpUrl: mcp.url,
      platformUrl: platform.url,
      chatUrl: orchestrator.url,
      unconnected: realAirtable && !airtableToken,
      data: {
        dataDir: settings.dataDir,
        emulatorDir,
        emulatorDirFromFlag: Boolean(flags.data),
        externalDatabase,
        realAirtable,
      },
    });
    io.stdout('AirSuite is running. Press Ctrl-C to stop.');
    await io.waitForShutdown();
  } finally {
    await cleanup.run();
  }
}
