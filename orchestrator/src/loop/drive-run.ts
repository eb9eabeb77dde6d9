import type { Content } from '@google/genai';
import type { RunRecord } from '../store/chat-store.ts';
import { answerCalls } from './answer-calls.ts';
import { type ChatError, isChatError, modelNotConfigured } from './errors.ts';
import { modelStep } from './model-step.ts';
import { requestApprovals } from './request-approvals.ts';
import type { LoopContext, RunScope } from './run-context.ts';
import { completeRun, endWithError, pauseRun } from './run-endings.ts';
import { type PendingCall, pendingCallsOf } from './run-state.ts';
import { listRunTools } from './run-tools.ts';
import {
  firstStop,
  isAwaitingApproval,
  isCancelled,
  isMonthlyBudgetSpent,
  isStepCount,
  isTurnTokenBudgetSpent,
  isWallClockSpent,
  type NextWork,
  type StopCondition,
} from './stop-conditions.ts';

const monthStart = (now: number) => {
  const date = new Date(now);
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
};

/** The run's stop conditions, in the order they are checked. */
function stopConditions(context: LoopContext, workspaceId: string, monthlyBudget: number | undefined) {
  const { limits, store, now } = context;
  return [
    isAwaitingApproval,
    isCancelled,
    isStepCount(limits.maxSteps),
    isWallClockSpent(limits.maxWallClockMs),
    isTurnTokenBudgetSpent(limits.turnTokenBudget),
    isMonthlyBudgetSpent(monthlyBudget, () => store.tokensUsedSince(workspaceId, monthStart(now()))),
  ] satisfies StopCondition[];
}

/**
 * The loop from "the history is ready" to "done", "paused" or a stop: answer the pending
 * calls, or call the model (and ask for the approvals its calls need), until the model answers
 * without calls. `pending` are the calls of a resumed run's paused step.
 */
export async function driveRun(
  context: LoopContext,
  scope: RunScope,
  elapsedBefore: number,
  pending: PendingCall[] | undefined,
): Promise<RunRecord> {
  const said = { text: '' };
  let ended: RunRecord | ChatError;
  try {
    ended = await loop(context, scope, context.now() - elapsedBefore, pending, said);
  } catch (error) {
    return endWithError(context, scope, error, said.text);
  }
  return isChatError(ended) ? endWithError(context, scope, ended, said.text) : ended;
}

/**
 * The steps of work; before each, the stop conditions are checked (the one place they are).
 * Returns the run completed or paused, or the error a stop condition ended it with.
 */
async function loop(
  context: LoopContext,
  scope: RunScope,
  startedAt: number,
  pending: PendingCall[] | undefined,
  said: { text: string },
): Promise<RunRecord | ChatError> {
  const { run, conversation, totals, signal } = scope;
  // A run resumed after its workspace lost its key (new runs are refused before they start).
  const model = context.model;
  if (!model) throw modelNotConfigured();
  const tools = await listRunTools(context.tools);
  // Read once per run; the usage it is compared with is read before every model call.
  const budget = await context.store.monthlyTokenBudget(conversation.workspaceId);
  const conditions = stopConditions(context, conversation.workspaceId, budget);
  let calls = pending;
  let awaiting = false;
  // Read from the store once per run, then kept in step with what this run appends
  // (one run per conversation at a time, so nobody else adds turns meanwhile).
  let history: Content[] | undefined;
  for (;;) {
    const next: NextWork = awaiting ? 'await_approval' : calls?.length ? 'answer_calls' : 'call_model';
    const elapsedMs = context.now() - startedAt;
    const stop = await firstStop(conditions, { ...totals, elapsedMs, next, cancelled: signal.aborted });
    if (stop?.status === 'awaiting_approval') {
      return pauseRun(context, scope, { text: said.text, elapsedMs, calls: calls ?? [] });
    }
    if (stop) return stop.error;
    if (calls?.length) {
      const answered = await answerCalls(context, scope, calls, tools.byName);
      history?.push(answered);
      calls = undefined;
      continue;
    }
    history ??= (await context.store.history(conversation.id)).map((stored) => stored.content);
    const { turn, completed } = await modelStep(context, scope, model, tools.declarations, history);
    said.text = turn.text;
    if (completed) return completeRun(context, scope, said.text);
    calls = pendingCallsOf(run.id, totals.steps, turn.functionCalls);
    awaiting = await requestApprovals(context, scope, calls, tools.byName);
  }
}
