import { ChatError, type ChatErrorCode } from './errors.ts';

/**
 * When a run stops early, as small named conditions checked in one place (the loop's
 * checkpoint, before every step of work), after the agent loops of the Vercel AI SDK
 * (`ai/src/generate-text/stop-condition.ts`, `isStepCount(n)`). A condition looks at the run's
 * progress and, when it holds, says how the run ends; the first that holds wins.
 */

/** What the loop would do next. */
export type NextWork = 'answer_calls' | 'call_model' | 'await_approval';

/** Where a run stands at a checkpoint. */
export interface RunProgress {
  readonly steps: number;
  readonly promptTokens: number;
  readonly outputTokens: number;
  /** Time the run has worked, approvals' waiting excluded. */
  readonly elapsedMs: number;
  readonly next: NextWork;
  readonly cancelled: boolean;
}

/** How a run ends at a checkpoint: paused for a decision, or stopped with a code. */
export type RunStop = { status: 'awaiting_approval' } | { status: 'cancelled' | 'failed'; error: ChatError };

/** A named predicate over the run's progress: the stop when it holds, else undefined. */
export type StopCondition = (progress: RunProgress) => RunStop | undefined | Promise<RunStop | undefined>;

const failed = (code: ChatErrorCode, message: string, details?: Record<string, unknown>): RunStop => ({
  status: 'failed',
  error: new ChatError(code, message, details),
});

/** Calls of the last step wait for the user: the run pauses (and resumes once all are decided). */
export const isAwaitingApproval: StopCondition = (progress) =>
  progress.next === 'await_approval' ? { status: 'awaiting_approval' } : undefined;

/** The user cancelled (or the caller aborted): nothing more runs. */
export const isCancelled: StopCondition = (progress) =>
  progress.cancelled
    ? { status: 'cancelled', error: new ChatError('CHAT_CANCELLED', 'the run was cancelled') }
    : undefined;

/** At most `maxSteps` model calls; the calls of the last one are still answered. */
export const isStepCount =
  (maxSteps: number): StopCondition =>
  (progress) =>
    progress.next === 'call_model' && progress.steps >= maxSteps
      ? failed('CHAT_STEP_LIMIT', `stopped after ${maxSteps} model steps; ask me to continue`)
      : undefined;

/** No model call once the run has worked longer than `maxMs`. */
export const isWallClockSpent =
  (maxMs: number): StopCondition =>
  (progress) =>
    progress.next === 'call_model' && progress.elapsedMs > maxMs
      ? failed('CHAT_TIME_LIMIT', `stopped after ${Math.round(maxMs / 1000)} s; ask me to continue`)
      : undefined;

/** No model call once the run's prompt and output tokens reach `budget`. */
export const isTurnTokenBudgetSpent =
  (budget: number): StopCondition =>
  (progress) =>
    progress.next === 'call_model' && progress.promptTokens + progress.outputTokens >= budget
      ? failed('CHAT_TURN_TOKEN_BUDGET', `this answer used its budget of ${budget} tokens`)
      : undefined;

/**
 * No model call once the workspace has used its monthly `budget` (none: no limit); `used`
 * reads the month's usage, before every model call, since other runs spend it too.
 */
export const isMonthlyBudgetSpent =
  (budget: number | undefined, used: () => Promise<number>): StopCondition =>
  async (progress) => {
    if (budget === undefined || progress.next !== 'call_model') return undefined;
    const spent = await used();
    return spent >= budget
      ? failed(
          'CHAT_MONTHLY_BUDGET_EXHAUSTED',
          `this workspace has used its monthly budget of ${budget.toLocaleString('en-US')} tokens; an admin can raise it`,
          { budget, used: spent },
        )
      : undefined;
  };

/** The first condition that holds, in order; undefined when the run goes on. */
export async function firstStop(
  conditions: readonly StopCondition[],
  progress: RunProgress,
): Promise<RunStop | undefined> {
  for (const condition of conditions) {
    const stop = await condition(progress);
    if (stop) return stop;
  }
  return undefined;
}
