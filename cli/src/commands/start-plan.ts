import { join } from 'node:path';
import type { EmulatorOptions } from '@airsuite/airtable-emulator';
import { httpListenSettingsFromEnv, McpConfigError, type McpHttpListenSettings } from '@airsuite/mcp-server';
import type { ChatSettings } from '@airsuite/orchestrator';
import { LOCAL_CREDENTIALS_FILE, type PlatformSettings, readLocalCredentials } from '@airsuite/platform-api';
import { chatSettings } from '../chat-runtime.ts';
import { ConfigError } from '../config-error.ts';
import { type Env, emulatorOptionsFrom } from '../emulator-config.ts';
import { type GatewayCliSettings, gatewaySettingsFrom } from '../gateway-config.ts';
import type { CliIo } from '../io.ts';
import { displayPath, EMULATOR_DATA_SUBDIR } from '../local-data.ts';
import { platformSettings } from '../platform-runtime.ts';
import { removeStoredData } from './reset.ts';
import type { StartFlags } from './start.ts';

/** Every setting `airsuite start` runs with, read and validated before anything starts. */
export interface StartPlan {
  /** The environment with the port flags applied, as the platform, MCP and chat read it. */
  runEnv: Env;
  settings: PlatformSettings;
  chatConfig: ChatSettings;
  listen: McpHttpListenSettings;
  gatewaySettings: GatewayCliSettings;
  /** AIRTABLE_API_URL is set: the gateway calls Airtable itself, not the emulator. */
  realAirtable: boolean;
  emulatorOptions: EmulatorOptions;
  /** The emulator's data directory inside the data directory, where it is unless --data moves it. */
  defaultEmulatorDir: string;
  emulatorDir: string;
  /** DATABASE_URL is set: the platform's database is not in the data directory. */
  externalDatabase: boolean;
}

function mcpListenSettings(env: Env): McpHttpListenSettings {
  try {
    return httpListenSettingsFromEnv(env);
  } catch (error) {
    if (McpConfigError.isInstance(error)) throw new ConfigError(error.message);
    throw error;
  }
}

/** Reads every flag and setting; a bad one throws ConfigError and nothing has changed yet. */
export function planStart(flags: StartFlags, env: Env): StartPlan {
  const runEnv: Env = {
    ...env,
    ...(flags.mcpPort ? { MCP_PORT: flags.mcpPort } : {}),
    ...(flags.platformPort ? { PLATFORM_PORT: flags.platformPort } : {}),
    ...(flags.orchestratorPort ? { ORCHESTRATOR_PORT: flags.orchestratorPort } : {}),
  };
  const settings = platformSettings(runEnv);
  const chatConfig = chatSettings(runEnv);
  const listen = mcpListenSettings(runEnv);
  const gatewaySettings = gatewaySettingsFrom({ port: flags.gatewayPort }, env);
  const defaultEmulatorDir = join(settings.dataDir, EMULATOR_DATA_SUBDIR);
  const emulatorOptions = emulatorOptionsFrom(flags, env, {
    seed: 'sample',
    dataDir: defaultEmulatorDir,
  });
  return {
    runEnv,
    settings,
    chatConfig,
    listen,
    gatewaySettings,
    realAirtable: Boolean(env.AIRTABLE_API_URL),
    emulatorOptions,
    defaultEmulatorDir,
    emulatorDir: emulatorOptions.dataDir ?? defaultEmulatorDir,
    externalDatabase: Boolean(settings.databaseUrl),
  };
}

/** `--fresh`: removes what earlier starts kept, and has the emulator replace its records with the seed. */
export function startOver(plan: StartPlan, io: CliIo): void {
  removeStoredData(io, plan.settings.dataDir, {
    externalDatabase: plan.externalDatabase,
    heading: 'Starting over (--fresh)',
  });
  // Kept outside the data directory (--data): the emulator itself replaces it with the seed.
  if (plan.emulatorDir !== plan.defaultEmulatorDir)
    io.stdout(`  the emulator's records in ${displayPath(plan.emulatorDir)}: replaced by the seed`);
  plan.emulatorOptions.fresh = true;
}

/**
 * Gives the emulator the token an earlier start stored, unless the user names tokens; returns
 * where that token is kept, for the banner (undefined when none is reused).
 */
export function reuseStoredEmulatorToken(plan: StartPlan, flags: StartFlags, env: Env): string | undefined {
  const stored = readLocalCredentials(plan.settings.dataDir);
  // The workspace's stored connection holds this token, so the emulator must accept it again.
  const token = stored?.emulatorToken;
  if (!token || flags.token?.length || env.EMULATOR_TOKEN) return undefined;
  plan.emulatorOptions.tokens = [token];
  return `kept in ${displayPath(join(plan.settings.dataDir, LOCAL_CREDENTIALS_FILE))}, mode 0600`;
}
