import type { Command } from 'commander';
import type { Env } from '../emulator-config.ts';
import type { CliIo } from '../io.ts';
import type { PlatformFlags } from './platform.ts';

export function registerPlatformCommand(program: Command, io: CliIo, env: Env): void {
  program
    .command('platform')
    .description(
      'run the platform REST API alone (accounts, workspaces, API keys, connections, audit, tools over REST)',
    )
    .option('-p, --port <port>', 'port to listen on (env PLATFORM_PORT, default 8080; 0 picks a free port)')
    .addHelpText(
      'after',
      [
        '',
        'Environment:',
        '  DATABASE_URL            PostgreSQL URL (default: embedded PGlite in $AIRSUITE_DATA_DIR/db)',
        '  AIRSUITE_DATA_DIR       embedded state folder (default ./.airsuite)',
        '  AIRSUITE_SECRET_KEY     32-byte key (base64 or hex) that encrypts stored Airtable tokens',
        '                          (default: generated once into $AIRSUITE_DATA_DIR/secret.key, mode 0600)',
        '  AIRTABLE_API_URL        Airtable API origin (default https://api.airtable.com)',
        '  REDIS_URL               share the gateway budgets with other processes',
        '  PLATFORM_HOST, PLATFORM_CORS_ORIGINS, PLATFORM_BODY_LIMIT_BYTES, PLATFORM_TRUST_PROXY',
        '  AIRSUITE_JWT_ISSUER, AIRSUITE_JWT_AUDIENCE, AIRSUITE_ACCESS_TOKEN_TTL_SECONDS',
        '  AIRSUITE_OPERATION_LEASE_SECONDS  how long a write may go silent before it reads interrupted (default 30)',
      ].join('\n'),
    )
    .action(async (flags: PlatformFlags) => {
      const { runPlatform } = await import('./platform.ts');
      await runPlatform(flags, io, env);
    });
}
