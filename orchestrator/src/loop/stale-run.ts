import type { LoopContext } from './run-context.ts';

/** Beyond the wall-clock limit, how long a run may go without progress before it counts as dead. */
export const STALE_RUN_GRACE_MS = 180_000;

/**
 * A run still "running" long after any run could (its process stopped) would block the
 * conversation for good: it is ended as failed, and its unanswered calls are answered
 * as interrupted when the history is next sent. True when one was ended.
 */
export async function endStaleRun(context: LoopContext, conversationId: string): Promise<boolean> {
  const { store, limits, now } = context;
  const open = await store.openRun(conversationId);
  if (open?.status !== 'running') return false;
  if (now() - Date.parse(open.updatedAt) < limits.maxWallClockMs + STALE_RUN_GRACE_MS) return false;
  if (!(await store.transitionRun(open.id, 'running', 'failed'))) return false;
  await store.updateRun(open.id, { status: 'failed', errorCode: 'CHAT_INTERNAL', state: null });
  return true;
}
