import type { Command } from 'commander';
import { type ChatFlags, DEFAULT_ORCHESTRATOR_URL } from '../chat/chat-settings.ts';
import { type ChatTerminal, processTerminal } from '../chat/terminal.ts';
import type { Env } from '../emulator-config.ts';
import type { CliIo } from '../io.ts';

export function registerChatCommand(
  program: Command,
  io: CliIo,
  env: Env,
  terminal: ChatTerminal = processTerminal(),
): void {
  program
    .command('chat')
    .description('chat with your Airtable bases in the terminal, through a running AirSuite orchestrator')
    .option('--url <url>', `the orchestrator (env ORCHESTRATOR_URL, default ${DEFAULT_ORCHESTRATOR_URL})`)
    .option('--api-key <key>', 'an AirSuite API key (env AIRSUITE_API_KEY, preferred: flags show in `ps`)')
    .option('--workspace <id>', 'start conversations in this workspace (wsp_…; an API key has its own)')
    .option('--conversation <id>', 'resume a conversation (cnv_…): shows its recent turns first')
    .option('--message <text>', 'send one message, print the answer and exit (no prompts)')
    .addHelpText(
      'after',
      [
        '',
        'Environment:',
        `  ORCHESTRATOR_URL   the orchestrator's address (default ${DEFAULT_ORCHESTRATOR_URL})`,
        '  AIRSUITE_API_KEY   an ask_live_… key from the AirSuite platform',
        '  NO_COLOR           any value: no ANSI colours (they are only used on a terminal anyway)',
        '',
        'Interactive: /help, /new, /cancel, /quit. Ctrl-C while an answer streams cancels it; again quits.',
        'Approvals: y approves, n denies (with an optional reason), e edits the arguments as JSON.',
        '',
        'Exit codes: 0 answered; 1 orchestrator unreachable, or the run failed or was cancelled;',
        '2 bad settings or a refused API key; 3 --message stopped waiting for an approval.',
      ].join('\n'),
    )
    .action(async (flags: ChatFlags) => {
      const { runChat } = await import('./chat.ts');
      await runChat(flags, { io, env, terminal });
    });
}
