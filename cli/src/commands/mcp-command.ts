import type { Command } from 'commander';
import type { Env } from '../emulator-config.ts';
import type { CliIo } from '../io.ts';
import type { McpFlags } from './mcp.ts';

/** `airsuite mcp`: its flags and help here; the servers load only when it runs (Claude Desktop starts it on every launch). */
export function registerMcpCommand(program: Command, io: CliIo, env: Env): void {
  program
    .command('mcp')
    .description(
      'serve the AirSuite tools over MCP: stdio by default (for Claude Desktop and other local clients), or Streamable HTTP with --http',
    )
    .option(
      '--http',
      'serve Streamable HTTP at http://127.0.0.1:<MCP_PORT>/mcp instead of stdio (default port 8001)',
    )
    .option('--stateless', 'with --http: no sessions, a fresh server per request (env MCP_STATELESS=1)')
    .addHelpText(
      'after',
      [
        '',
        'Environment:',
        '  AIRSUITE_API_KEY         an ask_live_… key: relay stdio to a running AirSuite platform (its workspace,',
        '                           role and connection apply); AIRSUITE_MCP_URL (default http://127.0.0.1:8001/mcp)',
        '  AIRTABLE_TOKEN           standalone: one Airtable token for everything (stdio, or --http with MCP_AUTH_TOKEN)',
        '  (--http without AIRTABLE_TOKEN authenticates platform API keys and access tokens: DATABASE_URL, AIRSUITE_DATA_DIR)',
        '  AIRTABLE_API_URL         Airtable API origin (default https://api.airtable.com; the emulator URL for local use)',
        '  AIRSUITE_READ_ONLY=1     hide write tools',
        '  AIRSUITE_ALLOWED_BASES   comma-separated base ids the tools may reach',
        '  AIRSUITE_ALLOWED_TABLES  comma-separated table ids or names (optionally baseId/table)',
        '  MCP_PORT, MCP_HOST       HTTP listen address (default 8001, 127.0.0.1)',
        '  MCP_AUTH_TOKEN           bearer token HTTP clients must send (standalone --http)',
        '  MCP_ALLOWED_ORIGINS, MCP_ALLOWED_HOSTS  extra browser origins / Host headers to accept',
      ].join('\n'),
    )
    .action(async (flags: McpFlags) => {
      const { runMcp } = await import('./mcp.ts');
      await runMcp(flags, io, env);
    });
}
