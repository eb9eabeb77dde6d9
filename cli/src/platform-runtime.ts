import type { GatewayEngine } from '@airsuite/airtable-gateway';
import { policyFromEnv } from '@airsuite/mcp-server';
import {
  createPlatform,
  createSecretBox,
  loadSecretKey,
  openDatabase,
  type Platform,
  type PlatformAppOptions,
  PlatformConfigError,
  type PlatformSettings,
  platformSettingsFromEnv,
  type RunningPlatformServer,
  type SecretBox,
  startPlatformServer,
} from '@airsuite/platform-api';
import type { Logger } from 'pino';
import { ConfigError } from './config-error.ts';
import type { Env } from './emulator-config.ts';
import type { CliIo } from './io.ts';

export interface PlatformRuntime {
  platform: Platform;
  /** Seals per-workspace secrets (Gemini keys) like Airtable tokens. */
  secretBox: SecretBox;
  settings: PlatformSettings;
  /** Starts the REST API of this runtime with its settings (and more route groups under /v1). */
  serve(logger: Logger, extraRoutes?: PlatformAppOptions['extraRoutes']): Promise<RunningPlatformServer>;
  close(): Promise<void>;
}

/** PlatformConfigError → ConfigError, so the CLI prints it plainly and exits with 2. */
export function platformSettings(env: Env): PlatformSettings {
  try {
    return platformSettingsFromEnv(env);
  } catch (error) {
    if (PlatformConfigError.isInstance(error)) throw new ConfigError(error.message);
    throw error;
  }
}

/**
 * The platform services of one process: the database (PostgreSQL from DATABASE_URL, else
 * PGlite in the data folder, migrated), the secret key, and every service over `engine`.
 */
export async function openPlatformRuntime(
  env: Env,
  engine: GatewayEngine,
  io: CliIo,
): Promise<PlatformRuntime> {
  const settings = platformSettings(env);
  let secretKey: Buffer;
  try {
    secretKey = loadSecretKey({
      env,
      dataDir: settings.dataDir,
      onCreated: (path) =>
        io.stdout(`Generated the secret key that encrypts stored tokens: ${path} (mode 0600)`),
    });
  } catch (error) {
    if (PlatformConfigError.isInstance(error)) throw new ConfigError(error.message);
    throw error;
  }
  const db = await openDatabase({
    ...(settings.databaseUrl ? { databaseUrl: settings.databaseUrl } : {}),
    dataDir: settings.dataDir,
    onProgress: (message) => io.stdout(message),
  });
  try {
    const platform = await createPlatform({
      db,
      engine,
      secretKey,
      issuer: settings.issuer,
      audience: settings.audience,
      accessTokenTtlSeconds: settings.accessTokenTtlSeconds,
      operationLeaseMs: settings.operationLeaseSeconds * 1000,
      deploymentPolicy: policyFromEnv(env),
      webhooks: {
        allow: settings.webhookAllow,
        deliver: settings.webhookDelivery,
        concurrency: settings.webhookConcurrency,
        onError: (error) =>
          io.stderr(`webhook delivery: ${error instanceof Error ? error.message : String(error)} (retrying)`),
      },
      ...(settings.publicUrl ? { publicUrl: settings.publicUrl } : {}),
      changeCapture: {
        onError: (error) =>
          io.stderr(`change capture: ${error instanceof Error ? error.message : String(error)} (retrying)`),
      },
    });
    return {
      platform,
      settings,
      secretBox: createSecretBox(secretKey),
      serve: (logger, extraRoutes) =>
        startPlatformServer({
          ...(extraRoutes ? { extraRoutes } : {}),
          platform,
          port: settings.port,
          host: settings.host,
          corsOrigins: settings.corsOrigins,
          bodyLimitBytes: settings.bodyLimitBytes,
          trustProxy: settings.trustProxy,
          logger,
        }),
      async close() {
        await platform.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    if (PlatformConfigError.isInstance(error)) throw new ConfigError(error.message);
    throw error;
  }
}
