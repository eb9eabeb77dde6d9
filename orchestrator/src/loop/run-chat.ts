import type { Content } from '@google/genai';
import type { Conversation, RunRecord } from '../store/chat-store.ts';
import { driveRun } from './drive-run.ts';
import { ChatError } from './errors.ts';
import { type ChatDeps, type LoopContext, loopContext } from './run-context.ts';
import { noTotals, type PausedState, totalsOf } from './run-state.ts';
import { endStaleRun } from './stale-run.ts';

export type { ChatDeps } from './run-context.ts';
export type { PausedState } from './run-state.ts';

/**
 * The runs of one conversation store and model: start one per user message, resume after
 * approvals. The loop itself is driveRun (drive-run.ts); its stops are stop-conditions.ts.
 */
export function createChatRunner(deps: ChatDeps) {
  const context = loopContext(deps);
  return {
    limits: context.limits,
    /** A user message: a new run over the conversation. */
    async send(
      conversation: Conversation,
      text: string,
      signal: AbortSignal,
      onStarted?: (run: RunRecord) => void,
    ): Promise<RunRecord> {
      const run = await startRun(context, conversation);
      onStarted?.(run);
      await context.store.appendTurns(
        conversation.id,
        run.id,
        [{ role: 'user', parts: [{ text }] }],
        conversation.title === undefined ? { title: text.slice(0, 80) } : {},
      );
      context.note(run.id, { type: 'run_started', run_id: run.id, conversation_id: conversation.id });
      return driveRun(context, { run, conversation, totals: noTotals(), signal }, 0, undefined);
    },

    /** Continues a run whose approvals are all decided (possibly in another process, after a restart). */
    async resume(conversation: Conversation, run: RunRecord, signal: AbortSignal): Promise<RunRecord> {
      const state = run.state as PausedState | undefined;
      if (run.status !== 'awaiting_approval' || !state) return run;
      // Two approvals decided at once must not both resume the run.
      if (!(await context.store.transitionRun(run.id, 'awaiting_approval', 'running'))) return run;
      await context.store.updateRun(run.id, { state: null });
      return driveRun(
        context,
        { run, conversation, totals: totalsOf(run), signal },
        state.elapsedMs,
        state.calls,
      );
    },
  };
}

/** A new run of the conversation, or CHAT_RUN_IN_PROGRESS while another is open (a dead one is ended first). */
async function startRun(context: LoopContext, conversation: Conversation): Promise<RunRecord> {
  const { store } = context;
  let run = await store.startRun(conversation.id, conversation.workspaceId);
  if (!run && (await endStaleRun(context, conversation.id))) {
    run = await store.startRun(conversation.id, conversation.workspaceId);
  }
  if (run) return run;
  const open = await store.openRun(conversation.id);
  throw new ChatError(
    'CHAT_RUN_IN_PROGRESS',
    open?.status === 'awaiting_approval'
      ? 'this conversation is waiting for your approval; decide it first'
      : 'this conversation is still answering; wait or cancel it',
    open ? { run_id: open.id, status: open.status } : {},
  );
}

export type ChatRunner = ReturnType<typeof createChatRunner>;
export type { Content };
