import type { Command } from 'commander';
import type { Env } from '../emulator-config.ts';
import type { CliIo } from '../io.ts';

export function registerMigrateCommand(program: Command, io: CliIo, env: Env): void {
  program
    .command('migrate')
    .description(
      'apply pending database migrations (PostgreSQL from DATABASE_URL, else the embedded database) and exit; forward-only',
    )
    .action(async () => {
      const { runMigrate } = await import('./migrate.ts');
      await runMigrate(io, env);
    });
}
