import type { ModelPort } from '../model/model-port.ts';
import type { ChatStore, Conversation, RunRecord } from '../store/chat-store.ts';
import type { RunEvent } from './events.ts';
import { DEFAULT_RUN_LIMITS, type RunLimits, SYSTEM_INSTRUCTION } from './run-options.ts';
import type { Totals } from './run-state.ts';
import type { ToolRunner } from './tool-runner.ts';

export interface ChatDeps {
  store: ChatStore;
  /** Absent when no Gemini key is configured: every run says so and stops. */
  model?: ModelPort;
  tools: ToolRunner;
  limits?: Partial<RunLimits>;
  systemInstruction?: string;
  /** Persists and fans out an event (the runner serialises calls per run). */
  emit(runId: string, event: RunEvent): Promise<void>;
  now?: () => number;
}

/** What every part of the loop shares: the dependencies with their defaults filled in. */
export interface LoopContext {
  readonly store: ChatStore;
  readonly model: ModelPort | undefined;
  readonly tools: ToolRunner;
  readonly limits: RunLimits;
  readonly systemInstruction: string;
  readonly now: () => number;
  /** Persists and fans out an event; awaited where the order with the store matters. */
  emit(runId: string, event: RunEvent): Promise<void>;
  /**
   * Progress events are written in order in the background, overlapping the model and the
   * tools; `done` and `error` are emitted and awaited, so a run never returns before its events are stored.
   */
  note(runId: string, event: RunEvent): void;
}

/** One run as the loop works on it; `totals` count up as it goes. */
export interface RunScope {
  readonly run: RunRecord;
  readonly conversation: Conversation;
  readonly totals: Totals;
  readonly signal: AbortSignal;
}

export function loopContext(deps: ChatDeps): LoopContext {
  return {
    store: deps.store,
    model: deps.model,
    tools: deps.tools,
    limits: { ...DEFAULT_RUN_LIMITS, ...deps.limits },
    systemInstruction: deps.systemInstruction ?? SYSTEM_INSTRUCTION,
    now: deps.now ?? Date.now,
    emit: (runId, event) => deps.emit(runId, event),
    note: (runId, event) => {
      deps.emit(runId, event).catch(() => {});
    },
  };
}
