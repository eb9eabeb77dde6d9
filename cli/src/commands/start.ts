import { ensureLocalBootstrap } from '@airsuite/platform-api';
import type { EmulatorFlags, Env } from '../emulator-config.ts';
import type { CliIo } from '../io.ts';
import { closer } from './closer.ts';
import { startEmulator } from './emulator.ts';
import { printWelcome } from './start-banner.ts';
import { planStart, reuseStoredEmulatorToken, startOver } from './start-plan.ts';
import { startServices } from './start-services.ts';

export interface StartFlags extends EmulatorFlags {
  gatewayPort?: string;
  mcpPort?: string;
  platformPort?: string;
  orchestratorPort?: string;
  fresh?: boolean;
}

/**
 * `airsuite start`: every service in one process on embedded defaults — the Airtable emulator
 * with the sample bases, the gateway, the platform API and the MCP server (authenticated by
 * the platform's API keys). The first start creates an owner, a workspace connected to the
 * sample bases and an API key; later starts reuse them. Everything a user makes survives a
 * restart: the platform's database and the emulator's records both live in the data directory.
 */
export async function runStart(flags: StartFlags, io: CliIo, env: Env): Promise<void> {
  // Everything is validated before --fresh removes anything, so a typo never costs data.
  const plan = planStart(flags, env);
  if (flags.fresh) startOver(plan, io);
  const tokenKeptIn = reuseStoredEmulatorToken(plan, flags, env);
  const { settings, realAirtable } = plan;
  const cleanup = closer();
  try {
    const emulator = await startEmulator(plan.emulatorOptions, io, tokenKeptIn);
    cleanup.add(() => emulator.close());
    const services = await startServices(plan, emulator.url, io, cleanup, env);

    const emulatorToken = emulator.tokens[0];
    const airtableToken = realAirtable ? env.AIRTABLE_TOKEN?.trim() : emulatorToken;
    const local = await ensureLocalBootstrap({
      platform: services.runtime.platform,
      dataDir: settings.dataDir,
      ...(airtableToken ? { airtableToken } : {}),
      ...(emulatorToken && !realAirtable ? { emulatorToken } : {}),
    });
    printWelcome(io, {
      local,
      mcpUrl: services.mcpUrl,
      platformUrl: services.platformUrl,
      chatUrl: services.chatUrl,
      unconnected: realAirtable && !airtableToken,
      data: {
        dataDir: settings.dataDir,
        emulatorDir: plan.emulatorDir,
        emulatorDirFromFlag: Boolean(flags.data),
        externalDatabase: plan.externalDatabase,
        realAirtable,
      },
    });
    io.stdout('AirSuite is running. Press Ctrl-C to stop.');
    await io.waitForShutdown();
  } finally {
    await cleanup.run();
  }
}
