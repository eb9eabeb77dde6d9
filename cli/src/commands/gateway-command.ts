import type { Command } from 'commander';
import type { Env } from '../emulator-config.ts';
import type { GatewayFlags } from '../gateway-config.ts';
import type { CliIo } from '../io.ts';

export function registerGatewayCommand(program: Command, io: CliIo, env: Env): void {
  program
    .command('gateway')
    .description(
      "run the Airtable gateway: an Airtable-compatible proxy that keeps every caller inside Airtable's rate limits",
    )
    .option('-p, --port <port>', 'port to listen on (env GATEWAY_PORT, default 8002)')
    .option('--host <host>', 'interface to bind (env GATEWAY_HOST, default 127.0.0.1)')
    .option(
      '--upstream <url>',
      'Airtable API origin (env AIRTABLE_API_URL, default https://api.airtable.com)',
    )
    .option('--redis <url>', 'share budgets and cache invalidations through Redis (env REDIS_URL)')
    .option('--per-base <n>', 'requests per second per base (env GATEWAY_PER_BASE_LIMIT, default 5)')
    .option(
      '--per-owner <n>',
      'requests per second per token owner (env GATEWAY_PER_OWNER_LIMIT, default 50)',
    )
    .option(
      '--max-queue <n>',
      'requests waiting per base before refusing (env GATEWAY_MAX_QUEUE, default 1000)',
    )
    .option(
      '--max-wait-ms <ms>',
      'longest wait for a turn before a 429 (env GATEWAY_MAX_WAIT_MS, default 60000)',
    )
    .option(
      '--timeout-ms <ms>',
      'timeout of one upstream attempt (env GATEWAY_REQUEST_TIMEOUT_MS, default 30000)',
    )
    .option(
      '--cache-ttl-ms <ms>',
      'cache record reads this long; 0 = off (env GATEWAY_RECORD_CACHE_TTL_MS, default 0)',
    )
    .action(async (flags: GatewayFlags) => {
      const { runGateway } = await import('./gateway.ts');
      await runGateway(flags, io, env);
    });
}
