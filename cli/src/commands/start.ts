import { randomBytes } from 'node:crypto';
import { createAirtableGateway, createGatewayEngine, startGatewayServer } from '@airsuite/airtable-gateway';
import { httpSettingsFromEnv, policyFromEnv, startMcpHttpServer } from '@airsuite/mcp-server';
import { createCatalogue } from '@airsuite/tools';
import type { Command } from 'commander';
import { pino } from 'pino';
import type { EmulatorFlags, Env } from '../emulator-config.ts';
import { gatewaySettingsFrom } from '../gateway-config.ts';
import type { CliIo } from '../io.ts';
import { startEmulator, withEmulatorFlags } from './emulator.ts';

interface StartFlags extends EmulatorFlags {
  gatewayPort?: string;
  mcpPort?: string;
}

/**
 * `airsuite start`: every service in one process. Today: the Airtable emulator (seeded
 * with the sample bases) and the gateway in front of it, or in front of the real Airtable
 * when AIRTABLE_API_URL says so. The MCP server, platform API and orchestrator join as
 * they are built.
 */
export function registerStartCommand(program: Command, io: CliIo, env: Env): void {
  withEmulatorFlags(
    program
      .command('start')
      .description(
        'run the AirSuite services in one process (today: the Airtable emulator with sample bases, the gateway and the MCP server)',
      ),
  )
    .option('--gateway-port <port>', 'gateway port (env GATEWAY_PORT, default 8002; 0 picks a free port)')
    .option('--mcp-port <port>', 'MCP Streamable HTTP port (env MCP_PORT, default 8001; 0 picks a free port)')
    .action(async (flags: StartFlags) => {
      const emulator = await startEmulator(flags, env, io, 'sample');
      const settings = gatewaySettingsFrom(
        { port: flags.gatewayPort },
        { ...env, AIRTABLE_API_URL: env.AIRTABLE_API_URL ?? emulator.url },
      );
      const logger = pino({ level: env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
      const engine = await createGatewayEngine({ ...settings.engine, logger });
      const gateway = await startGatewayServer({
        engine,
        port: settings.port,
        host: settings.host,
        recordCache: settings.recordCache,
      });
      io.stdout(`Airtable gateway listening on ${gateway.url} (upstream ${engine.options.upstreamUrl})`);
      // The MCP server shares the gateway's engine, so every tool call spends the same budgets.
      const mcpToken = env.MCP_AUTH_TOKEN ?? randomBytes(24).toString('base64url');
      const mcpEnv = {
        ...env,
        MCP_AUTH_TOKEN: mcpToken,
        ...(flags.mcpPort ? { MCP_PORT: flags.mcpPort } : {}),
      };
      const policy = policyFromEnv(mcpEnv);
      const airtableToken = env.AIRTABLE_TOKEN ?? emulator.tokens[0] ?? '';
      const airtable = createAirtableGateway({ engine, token: airtableToken });
      const mcp = await startMcpHttpServer({
        ...httpSettingsFromEnv(mcpEnv),
        tools: createCatalogue(policy),
        policy,
        contextFor: (extra) => ({
          airtable,
          caller: { id: extra.sessionId ? `mcp-http:${extra.sessionId}` : 'mcp-http' },
        }),
      });
      io.stdout(`MCP server (Streamable HTTP) on ${mcp.url}`);
      if (!env.MCP_AUTH_TOKEN)
        io.stdout(
          `  MCP token: ${mcpToken} (send as "Authorization: Bearer <token>"; set MCP_AUTH_TOKEN to fix it)`,
        );
      io.stdout('AirSuite is running. Press Ctrl-C to stop.');
      await io.waitForShutdown();
      await mcp.close();
      await airtable.close();
      await gateway.close();
      await engine.close();
      await emulator.close();
    });
}
