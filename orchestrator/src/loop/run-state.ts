import type { FunctionCall } from '../model/model-port.ts';
import type { RunRecord } from '../store/chat-store.ts';

/** What a run has spent so far; kept on the run's record after every step. */
export interface Totals {
  steps: number;
  promptTokens: number;
  outputTokens: number;
  toolCalls: number;
}

/** A call of the model's waiting to run (or, with `approvalId`, waiting for a decision first). */
export interface PendingCall {
  callId: string;
  geminiId?: string;
  name: string;
  args: Record<string, unknown>;
  approvalId?: string;
}

/** A paused run's pending work, kept in `runs.state` so it survives a restart. */
export interface PausedState {
  steps: number;
  elapsedMs: number;
  calls: PendingCall[];
}

export const noTotals = (): Totals => ({ steps: 0, promptTokens: 0, outputTokens: 0, toolCalls: 0 });

export const totalsOf = (run: RunRecord): Totals => ({
  steps: run.steps,
  promptTokens: run.promptTokens,
  outputTokens: run.outputTokens,
  toolCalls: run.toolCalls,
});

/** The calls of model step `step`, each with an id of the run's own (`<runId>:<step>:<index>`). */
export const pendingCallsOf = (runId: string, step: number, calls: readonly FunctionCall[]): PendingCall[] =>
  calls.map((call, index) => ({
    callId: `${runId}:${step}:${index}`,
    ...(call.id ? { geminiId: call.id } : {}),
    name: call.name,
    args: call.args,
  }));
