import { describe, expect, it } from 'vitest';
import {
  firstStop,
  isAwaitingApproval,
  isCancelled,
  isMonthlyBudgetSpent,
  isStepCount,
  isTurnTokenBudgetSpent,
  isWallClockSpent,
  type RunProgress,
  type RunStop,
} from './stop-conditions.ts';

const progress = (over: Partial<RunProgress> = {}): RunProgress => ({
  steps: 0,
  promptTokens: 0,
  outputTokens: 0,
  elapsedMs: 0,
  next: 'call_model',
  cancelled: false,
  ...over,
});

/** The code a stop ends the run with ('awaiting_approval' for a pause), or undefined to go on. */
async function codeOf(pending: RunStop | undefined | Promise<RunStop | undefined>) {
  const stop = await pending;
  return stop === undefined ? undefined : stop.status === 'awaiting_approval' ? stop.status : stop.error.code;
}

describe('stop conditions', () => {
  it('isStepCount(n) stops before model call n + 1, never before answering the last step’s calls', async () => {
    expect(await codeOf(isStepCount(3)(progress({ steps: 2 })))).toBeUndefined();
    expect(await codeOf(isStepCount(3)(progress({ steps: 3 })))).toBe('CHAT_STEP_LIMIT');
    expect(isStepCount(3)(progress({ steps: 3, next: 'answer_calls' }))).toBeUndefined();
  });

  it('isWallClockSpent(ms) stops a model call once the run has worked longer than ms', async () => {
    const stop = isWallClockSpent(120_000);
    expect(stop(progress({ elapsedMs: 120_000 }))).toBeUndefined();
    expect(await codeOf(stop(progress({ elapsedMs: 120_001 })))).toBe('CHAT_TIME_LIMIT');
    expect(stop(progress({ elapsedMs: 999_999, next: 'answer_calls' }))).toBeUndefined();
  });

  it('isTurnTokenBudgetSpent(n) stops a model call once prompt and output tokens reach n', async () => {
    const stop = isTurnTokenBudgetSpent(500);
    expect(stop(progress({ promptTokens: 400, outputTokens: 99 }))).toBeUndefined();
    expect(await codeOf(stop(progress({ promptTokens: 400, outputTokens: 100 })))).toBe(
      'CHAT_TURN_TOKEN_BUDGET',
    );
  });

  it('isMonthlyBudgetSpent reads the usage only before a model call and only with a budget, and says both figures', async () => {
    let reads = 0;
    const used = async () => {
      reads += 1;
      return 1_000;
    };
    expect(await isMonthlyBudgetSpent(undefined, used)(progress())).toBeUndefined();
    expect(await isMonthlyBudgetSpent(1_000, used)(progress({ next: 'answer_calls' }))).toBeUndefined();
    expect(reads).toBe(0);
    expect(await isMonthlyBudgetSpent(1_001, used)(progress())).toBeUndefined();
    const stop = await isMonthlyBudgetSpent(1_000, used)(progress());
    expect(stop).toMatchObject({
      status: 'failed',
      error: { code: 'CHAT_MONTHLY_BUDGET_EXHAUSTED', details: { budget: 1_000, used: 1_000 } },
    });
    expect(reads).toBe(2);
  });

  it('isCancelled and isAwaitingApproval hold at any checkpoint', () => {
    expect(isCancelled(progress({ cancelled: true, next: 'answer_calls' }))).toMatchObject({
      status: 'cancelled',
      error: { code: 'CHAT_CANCELLED' },
    });
    expect(isCancelled(progress())).toBeUndefined();
    expect(isAwaitingApproval(progress({ next: 'await_approval' }))).toEqual({ status: 'awaiting_approval' });
    expect(isAwaitingApproval(progress())).toBeUndefined();
  });

  it('firstStop takes the first that holds, in order, and asks no later one', async () => {
    let asked = false;
    const later = () => {
      asked = true;
      return undefined;
    };
    const all = [isAwaitingApproval, isCancelled, isStepCount(1), later];
    expect(await codeOf(firstStop(all, progress({ next: 'await_approval', cancelled: true })))).toBe(
      'awaiting_approval',
    );
    expect(await codeOf(firstStop(all, progress({ cancelled: true, steps: 5 })))).toBe('CHAT_CANCELLED');
    expect(await codeOf(firstStop(all, progress({ steps: 5 })))).toBe('CHAT_STEP_LIMIT');
    expect(asked).toBe(false);
    expect(await firstStop(all, progress())).toBeUndefined();
    expect(asked).toBe(true);
  });
});
