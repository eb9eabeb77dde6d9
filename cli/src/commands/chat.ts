import { createChatClient } from '../chat/chat-client.ts';
import { ChatClientError } from '../chat/chat-client-error.ts';
import { CHAT_EXIT, ChatExit } from '../chat/chat-exit.ts';
import { createChatSession, type RunOutcome } from '../chat/chat-session.ts';
import { type ChatFlags, chatSettings } from '../chat/chat-settings.ts';
import { createLineReader } from '../chat/line-reader.ts';
import { createRenderer } from '../chat/render-event.ts';
import { runRepl } from '../chat/repl.ts';
import type { ChatTerminal } from '../chat/terminal.ts';
import { ConfigError } from '../config-error.ts';
import type { Env } from '../emulator-config.ts';
import type { CliIo } from '../io.ts';

export interface ChatDeps {
  io: CliIo;
  env: Env;
  terminal: ChatTerminal;
}

/**
 * `airsuite chat`: resolves when the answer (one-shot) or the session (REPL) is over; throws
 * ConfigError (exit 2: settings, refused key) or ChatExit (exit 1 or 3) otherwise.
 */
export async function runChat(flags: ChatFlags, deps: ChatDeps): Promise<void> {
  const { io, env, terminal } = deps;
  const settings = chatSettings(flags, env, terminal.isTTY);
  const renderer = createRenderer({ write: (text) => terminal.write(text), colors: settings.colors });
  const client = createChatClient({ url: settings.url, apiKey: settings.apiKey, fetch: io.fetch });
  const lines = settings.message === undefined ? createLineReader(terminal.input()) : undefined;
  const session = createChatSession({
    client,
    renderer,
    ...(settings.workspaceId ? { workspaceId: settings.workspaceId } : {}),
    ...(lines ? { lines } : {}),
  });
  const stopListening = terminal.onInterrupt(() => {
    if (session.interrupt() === 'quit') lines?.close();
  });
  try {
    let outcome: RunOutcome | undefined;
    if (settings.conversationId) outcome = await session.open(settings.conversationId);
    if (settings.message !== undefined) {
      if (outcome?.status === 'awaiting_approval' || outcome?.status === 'running') {
        throw waiting(settings.conversationId ?? '');
      }
      endOneShot(await session.send(settings.message), session.conversationId ?? '');
      return;
    }
    if (outcome?.status === 'interrupted') return;
    // A conversation is made by the first message: opening and quitting leaves nothing behind.
    renderer.line(
      renderer.style.dim(
        session.conversationId
          ? `conversation ${session.conversationId} · /help for commands`
          : 'new conversation · /help for commands',
      ),
    );
    await runRepl({ session, lines: lines!, renderer });
  } catch (error) {
    throw exitFor(error, settings.url);
  } finally {
    stopListening();
    lines?.close();
  }
}

const waiting = (conversationId: string) =>
  new ChatExit(
    `the answer is waiting for approval; decide with: airsuite chat --conversation ${conversationId}`,
    CHAT_EXIT.awaitingApproval,
  );

/** A one-shot's exit: 0 (returns) when completed, else ChatExit with 3 (approval) or 1. */
function endOneShot(outcome: RunOutcome, conversationId: string): void {
  switch (outcome.status) {
    case 'completed':
      return;
    case 'awaiting_approval':
      throw waiting(conversationId);
    case 'failed':
      throw new ChatExit(`the run failed (${outcome.errorCode ?? 'no error code'})`, CHAT_EXIT.failed);
    case 'cancelled':
    case 'interrupted':
      throw new ChatExit('the run was cancelled', CHAT_EXIT.failed);
    default:
      throw new ChatExit('the event stream ended before the run did', CHAT_EXIT.failed);
  }
}

/** The client's failures as the CLI's exits; anything else is a bug and goes on as it is. */
function exitFor(error: unknown, url: string): unknown {
  if (!(error instanceof ChatClientError)) return error;
  switch (error.code) {
    case 'CHAT_CLIENT_UNREACHABLE':
      return new ChatExit(
        `cannot reach the orchestrator at ${url}: is it running? (start it, or point --url / ORCHESTRATOR_URL at it)`,
        CHAT_EXIT.failed,
      );
    case 'CHAT_CLIENT_UNAUTHORIZED':
      return new ConfigError(
        `the API key was refused by ${url} (${error.problem?.code ?? 'HTTP 401'}); check AIRSUITE_API_KEY or --api-key`,
      );
    default:
      return new ChatExit(
        error.problem ? `${error.problem.code}: ${error.problem.detail}` : `${error.code}: ${error.message}`,
        CHAT_EXIT.failed,
      );
  }
}
