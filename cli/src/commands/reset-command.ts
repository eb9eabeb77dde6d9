import type { Command } from 'commander';
import type { Env } from '../emulator-config.ts';
import type { CliIo } from '../io.ts';

export function registerResetCommand(program: Command, io: CliIo, env: Env): void {
  program
    .command('reset')
    .description(
      "remove what `airsuite start` keeps in the data directory (AIRSUITE_DATA_DIR, default ./.airsuite) and exit: the embedded database, the Airtable emulator's records and the first-start credentials (not secret.key); with DATABASE_URL set, that database is never touched",
    )
    .action(async () => {
      const { runReset } = await import('./reset.ts');
      runReset(io, env);
    });
}
