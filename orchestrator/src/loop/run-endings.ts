import type { RunRecord } from '../store/chat-store.ts';
import { ChatError, isChatError } from './errors.ts';
import type { RunStatus } from './events.ts';
import type { LoopContext, RunScope } from './run-context.ts';
import type { PausedState, PendingCall } from './run-state.ts';

/** The run's record as the caller gets it back, with its totals and (unless paused) its end. */
export function endedRun(
  context: LoopContext,
  scope: RunScope,
  status: RunStatus,
  extra: Partial<RunRecord> = {},
): RunRecord {
  return {
    ...scope.run,
    status,
    ...scope.totals,
    ...extra,
    ...(status === 'awaiting_approval' ? {} : { finishedAt: new Date(context.now()).toISOString() }),
  };
}

/** The model answered without calls: the run is complete (the store marked it with the answer). */
export async function completeRun(context: LoopContext, scope: RunScope, text: string): Promise<RunRecord> {
  await context.emit(scope.run.id, { type: 'done', status: 'completed', text });
  return endedRun(context, scope, 'completed');
}

/** The run waits for decisions: its pending calls are kept with it, to resume here or elsewhere. */
export async function pauseRun(
  context: LoopContext,
  scope: RunScope,
  at: { text: string; elapsedMs: number; calls: PendingCall[] },
): Promise<RunRecord> {
  const state: PausedState = { steps: scope.totals.steps, elapsedMs: at.elapsedMs, calls: at.calls };
  await context.store.updateRun(scope.run.id, { status: 'awaiting_approval', state, ...scope.totals });
  await context.emit(scope.run.id, { type: 'done', status: 'awaiting_approval', text: at.text });
  return endedRun(context, scope, 'awaiting_approval', { state });
}

/**
 * The run stops with an error: a ChatError (a stop condition's, or thrown) ends it with its
 * code, cancelled for CHAT_CANCELLED and failed otherwise; anything else thrown is
 * CHAT_CANCELLED when the run was cancelled meanwhile, or CHAT_INTERNAL, thrown on once recorded.
 */
export async function endWithError(
  context: LoopContext,
  scope: RunScope,
  error: unknown,
  text: string,
): Promise<RunRecord> {
  const chatError = isChatError(error)
    ? error
    : scope.signal.aborted
      ? new ChatError('CHAT_CANCELLED', 'the run was cancelled')
      : new ChatError('CHAT_INTERNAL', 'the chat failed unexpectedly; try again');
  const status: RunStatus = chatError.code === 'CHAT_CANCELLED' ? 'cancelled' : 'failed';
  await finishRun(context, scope, status, text, chatError);
  if (chatError.code === 'CHAT_INTERNAL') throw error;
  return endedRun(context, scope, status, { errorCode: chatError.code });
}

async function finishRun(
  context: LoopContext,
  scope: RunScope,
  status: RunStatus,
  text: string,
  error: ChatError,
): Promise<void> {
  await context.store.updateRun(scope.run.id, {
    status,
    ...scope.totals,
    errorCode: error.code,
    state: null,
  });
  await context.emit(scope.run.id, { type: 'error', code: error.code, message: error.message });
  await context.emit(scope.run.id, { type: 'done', status, text });
}
