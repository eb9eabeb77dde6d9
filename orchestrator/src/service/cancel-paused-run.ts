import type { RunEvent } from '../loop/events.ts';
import type { PausedState } from '../loop/run-state.ts';
import type { ChatStore, RunRecord } from '../store/chat-store.ts';

/**
 * Cancels a run waiting for approval (nothing of it is running): its paused calls are answered
 * USER_CANCELLED, since Gemini needs every call of a turn answered or the conversation is
 * stuck, and the run ends cancelled. False when it was no longer waiting.
 */
export async function cancelPausedRun(
  store: ChatStore,
  emit: (runId: string, event: RunEvent) => Promise<void>,
  open: RunRecord,
): Promise<boolean> {
  if (!(await store.transitionRun(open.id, 'awaiting_approval', 'cancelled'))) return false;
  const calls = (open.state as PausedState | undefined)?.calls ?? [];
  if (calls.length > 0) {
    await store.appendTurns(open.conversationId, open.id, [
      {
        role: 'user',
        parts: calls.map((call) => ({
          functionResponse: {
            ...(call.geminiId ? { id: call.geminiId } : {}),
            name: call.name,
            response: {
              error: {
                code: 'USER_CANCELLED',
                message: 'The user cancelled this request before it ran.',
              },
            },
          },
        })),
      },
    ]);
  }
  await store.updateRun(open.id, { status: 'cancelled', state: null, errorCode: 'CHAT_CANCELLED' });
  await emit(open.id, { type: 'error', code: 'CHAT_CANCELLED', message: 'cancelled by the user' });
  await emit(open.id, { type: 'done', status: 'cancelled', text: '' });
  return true;
}
