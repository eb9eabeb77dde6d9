import { createGatewayEngine, startGatewayServer } from '@airsuite/airtable-gateway';
import {
  createPlatformAuthenticator,
  httpListenSettingsFromEnv,
  McpConfigError,
  startMcpHttpServer,
} from '@airsuite/mcp-server';
import { conversationRoutes, startOrchestratorServer, WEB_ROOT } from '@airsuite/orchestrator';
import { ensureLocalBootstrap, readLocalCredentials } from '@airsuite/platform-api';
import type { Command } from 'commander';
import { pino } from 'pino';
import { chatSettings, createChatRuntime } from '../chat-runtime.ts';
import { ConfigError } from '../config-error.ts';
import type { EmulatorFlags, Env } from '../emulator-config.ts';
import { gatewaySettingsFrom } from '../gateway-config.ts';
import type { CliIo } from '../io.ts';
import { openPlatformRuntime, platformSettings } from '../platform-runtime.ts';
import { startEmulator, withEmulatorFlags } from './emulator.ts';

interface StartFlags extends EmulatorFlags {
  gatewayPort?: string;
  mcpPort?: string;
  platformPort?: string;
  orchestratorPort?: string;
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
 * sample bases and an API key; later starts reuse them.
 */
export function registerStartCommand(program: Command, io: CliIo, env: Env): void {
  withEmulatorFlags(
    program
      .command('start')
      .description(
        'run every AirSuite service in one process: the Airtable emulator (sample bases), the gateway, the platform API, the MCP server and the chat',
      ),
  )
    .option('--gateway-port <port>', 'gateway port (env GATEWAY_PORT, default 8002; 0 picks a free port)')
    .option('--mcp-port <port>', 'MCP Streamable HTTP port (env MCP_PORT, default 8001; 0 picks a free port)')
    .option(
      '--platform-port <port>',
      'platform API port (env PLATFORM_PORT, default 8080; 0 picks a free port)',
    )
    .action(async (flags: StartFlags) => {
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
        if (error instanceof McpConfigError) throw new ConfigError(error.message);
        throw error;
      }
      const stored = readLocalCredentials(settings.dataDir);
      const reuseToken = stored?.emulatorToken && !flags.token?.length && !env.EMULATOR_TOKEN;
      const cleanup = closer();
      try {
        const emulator = await startEmulator(
          reuseToken && stored?.emulatorToken ? { ...flags, token: [stored.emulatorToken] } : flags,
          env,
          io,
          'sample',
        );
        cleanup.add(() => emulator.close());
        const realAirtable = Boolean(env.AIRTABLE_API_URL);
        const gatewaySettings = gatewaySettingsFrom(
          { port: flags.gatewayPort },
          { ...env, AIRTABLE_API_URL: env.AIRTABLE_API_URL ?? emulator.url },
        );
        const logger = pino({ level: env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
        const engine = await createGatewayEngine({ ...gatewaySettings.engine, logger });
        cleanup.add(() => engine.close());
        const gateway = await startGatewayServer({
          engine,
          port: gatewaySettings.port,
          host: gatewaySettings.host,
          recordCache: gatewaySettings.recordCache,
        });
        cleanup.add(() => gateway.close());
        io.stdout(`Airtable gateway listening on ${gateway.url} (upstream ${engine.options.upstreamUrl})`);

        const runtime = await openPlatformRuntime(runEnv, engine, io);
        cleanup.add(() => runtime.close());
        const chat = createChatRuntime(runtime, chatConfig);
        cleanup.add(() => chat.close());
        // The platform's API documents (and serves) the conversations too.
        const platform = await runtime.serve(logger, [
          conversationRoutes({ platform: runtime.platform, chat }),
        ]);
        cleanup.add(() => platform.close());
        io.stdout(`Platform API on ${platform.url}/v1 (reference: ${platform.url}/docs)`);

        // The MCP server shares the gateway's engine, so every tool call spends the same budgets.
        const mcp = await startMcpHttpServer({
          ...listen,
          authenticate: createPlatformAuthenticator(runtime.platform),
        });
        cleanup.add(() => mcp.close());
        io.stdout(`MCP server (Streamable HTTP) on ${mcp.url}`);

        const orchestrator = await startOrchestratorServer({
          platform: runtime.platform,
          chat,
          port: chatConfig.port,
          host: chatConfig.host,
          webRoot: WEB_ROOT,
          logger,
        });
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
        printWelcome(io, local, mcp.url, platform.url, orchestrator.url, realAirtable && !airtableToken);
        io.stdout('AirSuite is running. Press Ctrl-C to stop.');
        await io.waitForShutdown();
      } finally {
        await cleanup.run();
      }
    });
}

function printWelcome(
  io: CliIo,
  local: Awaited<ReturnType<typeof ensureLocalBootstrap>>,
  mcpUrl: string,
  platformUrl: string,
  chatUrl: string,
  unconnected: boolean,
): void {
  io.stdout('');
  io.stdout(
    local.created
      ? 'First start: created an account, a workspace and an API key.'
      : 'Reusing the account made on first start.',
  );
  io.stdout(`  Sign in:    ${local.email} / ${local.password}   (POST ${platformUrl}/v1/auth/login)`);
  if (local.created) io.stdout(`              change it with POST ${platformUrl}/v1/me/password`);
  io.stdout(
    `  Workspace:  ${local.workspaceId}${unconnected ? ' (no Airtable connection: set AIRTABLE_TOKEN or add one via the API)' : ' (connected to the sample bases)'}`,
  );
  io.stdout(`  API key:    ${local.apiKey}   (role editor; kept in .airsuite/first-start.json, mode 0600)`);
  io.stdout(`  Chat:       ${chatUrl}/  (sign in with the API key or the account)`);
  io.stdout('  Connect an MCP client:');
  io.stdout(
    `    claude mcp add --transport http airsuite ${mcpUrl} --header "Authorization: Bearer ${local.apiKey}"`,
  );
  io.stdout(
    `    Claude Desktop: {"mcpServers":{"airsuite":{"command":"npx","args":["airsuite","mcp"],"env":{"AIRSUITE_API_KEY":"${local.apiKey}"}}}}`,
  );
  io.stdout('');
}
