import { ChatClientError } from './chat-client-error.ts';
import type { ChatSession } from './chat-session.ts';
import type { LineReader } from './line-reader.ts';
import { formatError, type Renderer } from './render-event.ts';

export const REPL_PROMPT = 'you › ';

export const REPL_HELP = [
  'Type a message and press Enter. Commands:',
  '  /help    this help',
  '  /new     start a new conversation',
  '  /cancel  cancel the answer in progress (also Ctrl-C while it streams)',
  '  /quit    leave (also Ctrl-D, or Ctrl-C at the prompt)',
].join('\n');

export interface ReplOptions {
  session: ChatSession;
  lines: LineReader;
  renderer: Renderer;
}

/**
 * Reads lines until /quit or the end of input: commands, or messages sent to the session (whose
 * approvals are asked on the same lines). Problems the orchestrator answers (409 while a run is
 * open…) and a lost connection are printed and the prompt comes back; a refused API key, and a
 * chat with no model (no message could be answered), are thrown.
 */
export async function runRepl(options: ReplOptions): Promise<void> {
  const { session, lines, renderer } = options;
  const { style } = renderer;
  for (;;) {
    renderer.prompt(style.bold(REPL_PROMPT));
    const line = await lines.next();
    if (line === undefined) return;
    const text = line.trim();
    if (text === '') continue;
    try {
      if (text.startsWith('/')) {
        if (!(await command(text.split(/\s+/)[0] ?? '', options))) return;
        continue;
      }
      const outcome = await session.send(text);
      if (outcome.status === 'interrupted') return;
      if (outcome.status === 'awaiting_approval') {
        renderer.line(style.dim('the answer is still waiting for approval'));
        return;
      }
    } catch (error) {
      if (!(error instanceof ChatClientError) || error.code === 'CHAT_CLIENT_UNAUTHORIZED') throw error;
      const problem = error.problem;
      if (problem?.code === 'CHAT_MODEL_NOT_CONFIGURED') throw error;
      renderer.line(
        style.red(problem ? formatError(problem.code, problem.detail) : `✗ ${error.code}: ${error.message}`),
      );
    }
  }
}

/** Runs a slash command; false to leave. */
async function command(name: string, options: ReplOptions): Promise<boolean> {
  const { session, renderer } = options;
  const { style } = renderer;
  switch (name) {
    case '/help':
      renderer.line(REPL_HELP);
      return true;
    case '/new':
      session.leave();
      renderer.line(style.dim('the next message starts a new conversation'));
      return true;
    case '/cancel':
      renderer.line(style.dim((await session.cancel()) ? 'cancelled' : 'nothing to cancel'));
      return true;
    case '/quit':
    case '/exit':
      return false;
    default:
      renderer.line(style.dim(`unknown command ${name}; /help lists them`));
      return true;
  }
}
