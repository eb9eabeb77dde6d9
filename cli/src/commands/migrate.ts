import { migrate, openDatabase } from '@airsuite/platform-api';
import type { Env } from '../emulator-config.ts';
import type { CliIo } from '../io.ts';
import { platformSettings } from '../platform-runtime.ts';

/** `airsuite migrate`: applies pending migrations and returns. */
export async function runMigrate(io: CliIo, env: Env): Promise<void> {
  const settings = platformSettings(env);
  const db = await openDatabase({
    ...(settings.databaseUrl ? { databaseUrl: settings.databaseUrl } : {}),
    dataDir: settings.dataDir,
    migrate: false,
    onProgress: (message) => io.stdout(message),
  });
  try {
    const report = await migrate(db);
    io.stdout(
      report.applied.length === 0
        ? `Database is up to date (${report.current.length} migrations).`
        : `Applied ${report.applied.length} migration(s): ${report.applied.join(', ')}`,
    );
  } finally {
    await db.close();
  }
}
