import type { Command } from 'commander';
import type { Env } from '../emulator-config.ts';
import type { CliIo } from '../io.ts';
import type { OrchestratorFlags } from './orchestrator.ts';

export function registerOrchestratorCommand(program: Command, io: CliIo, env: Env): void {
  program
    .command('orchestrator')
    .description('run the chat alone: the Gemini chat API (REST + SSE) and the web chat page on port 8003')
    .option(
      '-p, --port <port>',
      'port to listen on (env ORCHESTRATOR_PORT, default 8003; 0 picks a free port)',
    )
    .addHelpText(
      'after',
      [
        '',
        'Environment:',
        '  GEMINI_API_KEY       Gemini API key (without it, chat answers with a clear error)',
        '  GEMINI_MODEL         model id (default gemini-2.5-flash)',
        '  GEMINI_BASE_URL      Gemini API base URL (proxies, gateways, tests)',
        '  AIRSUITE_MCP_URL     call tools through this MCP server over HTTP (default: an in-process MCP server)',
        '  CHAT_MAX_STEPS, CHAT_MAX_SECONDS, CHAT_TURN_TOKEN_BUDGET, CHAT_HISTORY_TOKENS, CHAT_BULK_WRITE_THRESHOLD',
        '  DATABASE_URL, AIRSUITE_DATA_DIR, AIRSUITE_SECRET_KEY, AIRTABLE_API_URL, REDIS_URL (as for `platform`)',
      ].join('\n'),
    )
    .action(async (flags: OrchestratorFlags) => {
      const { runOrchestrator } = await import('./orchestrator.ts');
      await runOrchestrator(flags, io, env);
    });
}
