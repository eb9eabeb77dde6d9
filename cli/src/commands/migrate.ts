import { migrate, openDatabase } from '@airsuite/platform-api';
import type { Command } from 'commander';
import type { Env } from '../emulator-config.ts';
import type { CliIo } from '../io.ts';
import { platformSettings } from '../platform-runtime.ts';

export function registerMigrateCommand(program: Command, io: CliIo, env: Env): void {
  program
    .command('migrate')
    .description(
      'apply pending database migrations (PostgreSQL from DATABASE_URL, else the embedded database) and exit; forward-only',
    )
    .action(async () => {
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
    });
}
