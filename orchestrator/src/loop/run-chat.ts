import { newId } from '@airsuite/platform-api';
import type { Content, FunctionDeclaration, Part } from '@google/genai';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { toFunctionDeclarations } from '../gemini/index.ts';
import type { FunctionCall, ModelPort } from '../model/model-port.ts';
import type { ChatStore, Conversation, RunRecord } from '../store/chat-store.ts';
import { approvalReason, supportsDryRun } from './approval-policy.ts';
import { lanesOf } from './call-schedule.ts';
import { ChatError, isChatError, modelNotConfigured } from './errors.ts';
import type { RunEvent, RunStatus } from './events.ts';
import { alternateTurns, answerDanglingCalls, windowHistory } from './history-window.ts';
import { boundedResult, FETCH_RESULT_TOOL } from './result-budget.ts';
import { DEFAULT_RUN_LIMITS, type RunLimits, SYSTEM_INSTRUCTION } from './run-options.ts';
import type { ToolCallOutcome, ToolRunner } from './tool-runner.ts';

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

/** A paused run's pending work, kept in `runs.state` so it survives a restart. */
export interface PausedState {
  steps: number;
  elapsedMs: number;
  calls: PendingCall[];
}

interface PendingCall {
  callId: string;
  geminiId?: string;
  name: string;
  args: Record<string, unknown>;
  approvalId?: string;
}

interface Totals {
  steps: number;
  promptTokens: number;
  outputTokens: number;
  toolCalls: number;
}

const FETCH_RESULT_DECLARATION: FunctionDeclaration = {
  name: FETCH_RESULT_TOOL,
  description:
    'Read more of a large tool result that was stored instead of shown (it has a result_handle). Returns up to 8000 characters from offset.',
  parametersJsonSchema: {
    type: 'object',
    properties: {
      result_handle: { type: 'string', description: 'res_… from the truncated result' },
      offset: { type: 'integer', minimum: 0, description: 'Character offset; default 0' },
    },
    required: ['result_handle'],
  },
};

/** Beyond the wall-clock limit, how long a run may go without progress before it counts as dead. */
const STALE_RUN_GRACE_MS = 180_000;

const monthStart = (now: number) => {
  const date = new Date(now);
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
};

/** The runs of one conversation store and model: start one per user message, resume after approvals. */
export function createChatRunner(deps: ChatDeps) {
  const limits: RunLimits = { ...DEFAULT_RUN_LIMITS, ...deps.limits };
  /**
   * Progress events are written in order in the background, overlapping the model and the
   * tools; `done` and `error` are awaited, so a run never returns before its events are stored.
   */
  const note = (runId: string, event: RunEvent) => {
    deps.emit(runId, event).catch(() => {});
  };
  const now = deps.now ?? Date.now;
  const system = deps.systemInstruction ?? SYSTEM_INSTRUCTION;

  async function toolsAndDeclarations(): Promise<{
    byName: Map<string, Tool>;
    declarations: FunctionDeclaration[];
  }> {
    let tools: Tool[];
    try {
      tools = await deps.tools.listTools();
    } catch (error) {
      throw new ChatError('CHAT_TOOLS_UNAVAILABLE', toolsUnavailableMessage(error));
    }
    return {
      byName: new Map(tools.map((tool) => [tool.name, tool])),
      declarations: [...toFunctionDeclarations(tools), FETCH_RESULT_DECLARATION],
    };
  }

  async function checkMonthlyBudget(workspaceId: string, budget: number | undefined): Promise<void> {
    if (budget === undefined) return;
    const used = await deps.store.tokensUsedSince(workspaceId, monthStart(now()));
    if (used >= budget) {
      throw new ChatError(
        'CHAT_MONTHLY_BUDGET_EXHAUSTED',
        `this workspace has used its monthly budget of ${budget.toLocaleString('en-US')} tokens; an admin can raise it`,
        { budget, used },
      );
    }
  }

  async function callOne(
    conversation: Conversation,
    call: PendingCall,
    args: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<ToolCallOutcome> {
    if (call.name === FETCH_RESULT_TOOL) {
      const handle = typeof args.result_handle === 'string' ? args.result_handle : '';
      const stored = await deps.store.getToolResult(conversation.id, handle);
      if (!stored)
        return {
          ok: false,
          code: 'TOOL_INVALID_INPUT',
          message: `no stored result ${handle} in this conversation`,
        };
      const text = JSON.stringify(stored.result);
      const offset = typeof args.offset === 'number' && args.offset > 0 ? Math.floor(args.offset) : 0;
      const slice = text.slice(offset, offset + 8000);
      return {
        ok: true,
        output: {
          tool: stored.tool,
          offset,
          next_offset: offset + slice.length < text.length ? offset + slice.length : null,
          text: slice,
        },
        text: slice,
      };
    }
    return deps.tools.callTool(call.name, args, signal);
  }

  /** Runs the turn's calls (reads together, writes to one table in order) and returns responses in call order. */
  async function executeCalls(
    run: RunRecord,
    conversation: Conversation,
    calls: PendingCall[],
    byName: Map<string, Tool>,
    totals: Totals,
    signal: AbortSignal,
  ): Promise<Part[]> {
    // Decisions matter only to calls that waited for one (a resumed run).
    const waited = calls.some((call) => call.approvalId !== undefined);
    const approvals = new Map(waited ? (await deps.store.approvalsOf(run.id)).map((a) => [a.id, a]) : []);
    const responses = new Map<string, Part>();
    const respond = (call: PendingCall, response: Record<string, unknown>) =>
      responses.set(call.callId, {
        functionResponse: { ...(call.geminiId ? { id: call.geminiId } : {}), name: call.name, response },
      });
    const runnable: { call: PendingCall; args: Record<string, unknown>; edited: boolean }[] = [];
    for (const call of calls) {
      const approval = call.approvalId ? approvals.get(call.approvalId) : undefined;
      if (approval?.status === 'denied') {
        const why = approval.decisionReason ? `: ${approval.decisionReason}` : '';
        respond(call, {
          error: {
            code: 'USER_DENIED',
            message: `The user denied this call${why}. Do not retry it; tell the user what you did not do.`,
          },
        });
        continue;
      }
      const edited = approval?.status === 'edited' && approval.editedArguments !== undefined;
      runnable.push({ call, args: edited ? (approval?.editedArguments ?? call.args) : call.args, edited });
    }
    const lanes = lanesOf(
      runnable.map((r) => ({ callId: r.call.callId, name: r.call.name, args: r.args })),
      byName,
    );
    const byId = new Map(runnable.map((r) => [r.call.callId, r]));
    await Promise.all(
      lanes.map(async (lane) => {
        for (const scheduled of lane) {
          const entry = byId.get(scheduled.callId);
          if (!entry) continue;
          const started = now();
          note(run.id, {
            type: 'tool_call_started',
            call_id: entry.call.callId,
            name: entry.call.name,
            arguments: entry.args,
          });
          const outcome = await callOne(conversation, entry.call, entry.args, signal);
          totals.toolCalls += 1;
          if (outcome.ok) {
            // A fetch_tool_result page is bounded already; storing it again would hide it behind a new handle.
            const output =
              entry.call.name === FETCH_RESULT_TOOL
                ? outcome.output
                : await boundedResult(outcome.output, limits.maxResultChars, () =>
                    deps.store.saveToolResult(conversation.id, entry.call.name, outcome.output),
                  );
            respond(entry.call, entry.edited ? { output, edited_arguments: entry.args } : { output });
          } else {
            respond(entry.call, { error: { code: outcome.code, message: outcome.message } });
          }
          note(run.id, {
            type: 'tool_call_finished',
            call_id: entry.call.callId,
            name: entry.call.name,
            ok: outcome.ok,
            summary: outcome.ok ? outcome.text.slice(0, 300) : outcome.message.slice(0, 300),
            ...(outcome.ok ? {} : { code: outcome.code }),
            duration_ms: now() - started,
          });
        }
      }),
    );
    return calls.map((call) => responses.get(call.callId) as Part);
  }

  /** Asks for approvals the turn needs; true when the run must pause. */
  async function requestApprovals(
    run: RunRecord,
    conversation: Conversation,
    calls: PendingCall[],
    byName: Map<string, Tool>,
    signal: AbortSignal,
  ): Promise<boolean> {
    let paused = false;
    for (const call of calls) {
      const tool = byName.get(call.name);
      const reason = approvalReason(tool, call.args, limits.bulkWriteThreshold);
      if (!reason) continue;
      paused = true;
      let preview: unknown;
      if (supportsDryRun(tool)) {
        const dry = await deps.tools.callTool(call.name, { ...call.args, dry_run: true }, signal);
        preview = dry.ok ? dry.output : { error: { code: dry.code, message: dry.message } };
      }
      const approval = await deps.store.createApproval({
        id: newId('apr'),
        runId: run.id,
        conversationId: conversation.id,
        workspaceId: conversation.workspaceId,
        callId: call.callId,
        tool: call.name,
        arguments: call.args,
        reason,
        ...(preview !== undefined ? { preview } : {}),
      });
      call.approvalId = approval.id;
      await deps.emit(run.id, {
        type: 'approval_requested',
        approval_id: approval.id,
        call_id: call.callId,
        name: call.name,
        arguments: call.args,
        reason,
        ...(preview !== undefined ? { preview } : {}),
      });
    }
    return paused;
  }

  async function finish(run: RunRecord, status: RunStatus, totals: Totals, text: string, error?: ChatError) {
    await deps.store.updateRun(run.id, {
      status,
      ...totals,
      errorCode: error?.code ?? null,
      state: null,
    });
    if (error) await deps.emit(run.id, { type: 'error', code: error.code, message: error.message });
    await deps.emit(run.id, { type: 'done', status, text });
  }

  /** The loop from "the history is ready" to "done", "paused" or a stop. */
  async function drive(
    run: RunRecord,
    conversation: Conversation,
    totals: Totals,
    elapsedBefore: number,
    pending: PendingCall[] | undefined,
    signal: AbortSignal,
  ): Promise<RunRecord> {
    const ended = (status: RunStatus, extra: Partial<RunRecord> = {}): RunRecord => ({
      ...run,
      status,
      ...totals,
      ...extra,
      ...(status === 'awaiting_approval' ? {} : { finishedAt: new Date(now()).toISOString() }),
    });
    const startedAt = now() - elapsedBefore;
    let lastText = '';
    try {
      // A run resumed after its workspace lost its key (new runs are refused before they start).
      if (!deps.model) throw modelNotConfigured();
      const model = deps.model;
      const { byName, declarations } = await toolsAndDeclarations();
      // Read once per run; the usage it is compared with is read before every model call.
      const budget = await deps.store.monthlyTokenBudget(conversation.workspaceId);
      let calls = pending;
      // Read from the store once per run, then kept in step with what this run appends
      // (one run per conversation at a time, so nobody else adds turns meanwhile).
      let history: Content[] | undefined;
      for (;;) {
        if (signal.aborted) throw new ChatError('CHAT_CANCELLED', 'the run was cancelled');
        if (calls && calls.length > 0) {
          const responses = await executeCalls(run, conversation, calls, byName, totals, signal);
          // Kept even when cancelled (they say TOOL_CANCELLED): a call turn without its responses
          // would make Gemini reject every later request of the conversation.
          const answered: Content = { role: 'user', parts: responses };
          await deps.store.appendTurns(conversation.id, run.id, [answered]);
          history?.push(answered);
          calls = undefined;
          if (signal.aborted) throw new ChatError('CHAT_CANCELLED', 'the run was cancelled');
        }
        if (totals.steps >= limits.maxSteps) {
          throw new ChatError(
            'CHAT_STEP_LIMIT',
            `stopped after ${limits.maxSteps} model steps; ask me to continue`,
          );
        }
        if (now() - startedAt > limits.maxWallClockMs) {
          throw new ChatError(
            'CHAT_TIME_LIMIT',
            `stopped after ${Math.round(limits.maxWallClockMs / 1000)} s; ask me to continue`,
          );
        }
        if (totals.promptTokens + totals.outputTokens >= limits.turnTokenBudget) {
          throw new ChatError(
            'CHAT_TURN_TOKEN_BUDGET',
            `this answer used its budget of ${limits.turnTokenBudget} tokens`,
          );
        }
        await checkMonthlyBudget(conversation.workspaceId, budget);
        history ??= (await deps.store.history(conversation.id)).map((stored) => stored.content);
        const turn = await model.generate({
          contents: alternateTurns(windowHistory(answerDanglingCalls(history), limits.historyTokenBudget)),
          tools: declarations,
          systemInstruction: system,
          signal,
          onTextDelta: (text) => note(run.id, { type: 'text_delta', text }),
        });
        totals.steps += 1;
        totals.promptTokens += turn.usage.promptTokens;
        totals.outputTokens += turn.usage.outputTokens;
        // An answer without calls ends the run in the same statement that keeps it.
        const completed = turn.functionCalls.length === 0;
        await deps.store.appendTurns(conversation.id, run.id, [turn.content], {
          totals: { ...totals },
          completed,
        });
        history.push(turn.content);
        note(run.id, {
          type: 'usage',
          prompt_tokens: totals.promptTokens,
          output_tokens: totals.outputTokens,
          total_tokens: totals.promptTokens + totals.outputTokens,
          tool_calls: totals.toolCalls,
          steps: totals.steps,
        });
        lastText = turn.text;
        if (completed) {
          await deps.emit(run.id, { type: 'done', status: 'completed', text: lastText });
          return ended('completed');
        }
        calls = turn.functionCalls.map((call: FunctionCall, index) => ({
          callId: `${run.id}:${totals.steps}:${index}`,
          ...(call.id ? { geminiId: call.id } : {}),
          name: call.name,
          args: call.args,
        }));
        if (await requestApprovals(run, conversation, calls, byName, signal)) {
          const state: PausedState = { steps: totals.steps, elapsedMs: now() - startedAt, calls };
          await deps.store.updateRun(run.id, { status: 'awaiting_approval', state, ...totals });
          await deps.emit(run.id, { type: 'done', status: 'awaiting_approval', text: lastText });
          return ended('awaiting_approval', { state });
        }
      }
    } catch (error) {
      const chatError = isChatError(error)
        ? error
        : signal.aborted
          ? new ChatError('CHAT_CANCELLED', 'the run was cancelled')
          : new ChatError('CHAT_INTERNAL', 'the chat failed unexpectedly; try again');
      const status: RunStatus = chatError.code === 'CHAT_CANCELLED' ? 'cancelled' : 'failed';
      await finish(run, status, totals, lastText, chatError);
      if (chatError.code === 'CHAT_INTERNAL') throw error;
      return ended(status, { errorCode: chatError.code });
    }
  }

  /**
   * A run still "running" long after any run could (its process stopped) would block the
   * conversation for good: it is ended as failed, and its unanswered calls are answered
   * as interrupted when the history is next sent.
   */
  async function endStaleRun(conversationId: string): Promise<boolean> {
    const open = await deps.store.openRun(conversationId);
    if (open?.status !== 'running') return false;
    if (now() - Date.parse(open.updatedAt) < limits.maxWallClockMs + STALE_RUN_GRACE_MS) return false;
    if (!(await deps.store.transitionRun(open.id, 'running', 'failed'))) return false;
    await deps.store.updateRun(open.id, { status: 'failed', errorCode: 'CHAT_INTERNAL', state: null });
    return true;
  }

  return {
    limits,
    /** A user message: a new run over the conversation. */
    async send(
      conversation: Conversation,
      text: string,
      signal: AbortSignal,
      onStarted?: (run: RunRecord) => void,
    ): Promise<RunRecord> {
      let run = await deps.store.startRun(conversation.id, conversation.workspaceId);
      if (!run && (await endStaleRun(conversation.id))) {
        run = await deps.store.startRun(conversation.id, conversation.workspaceId);
      }
      if (!run) {
        const open = await deps.store.openRun(conversation.id);
        throw new ChatError(
          'CHAT_RUN_IN_PROGRESS',
          open?.status === 'awaiting_approval'
            ? 'this conversation is waiting for your approval; decide it first'
            : 'this conversation is still answering; wait or cancel it',
          open ? { run_id: open.id, status: open.status } : {},
        );
      }
      onStarted?.(run);
      await deps.store.appendTurns(
        conversation.id,
        run.id,
        [{ role: 'user', parts: [{ text }] }],
        conversation.title === undefined ? { title: text.slice(0, 80) } : {},
      );
      note(run.id, { type: 'run_started', run_id: run.id, conversation_id: conversation.id });
      const totals: Totals = { steps: 0, promptTokens: 0, outputTokens: 0, toolCalls: 0 };
      return drive(run, conversation, totals, 0, undefined, signal);
    },

    /** Continues a run whose approvals are all decided (possibly in another process, after a restart). */
    async resume(conversation: Conversation, run: RunRecord, signal: AbortSignal): Promise<RunRecord> {
      const state = run.state as PausedState | undefined;
      if (run.status !== 'awaiting_approval' || !state) return run;
      // Two approvals decided at once must not both resume the run.
      if (!(await deps.store.transitionRun(run.id, 'awaiting_approval', 'running'))) return run;
      await deps.store.updateRun(run.id, { state: null });
      const totals: Totals = {
        steps: run.steps,
        promptTokens: run.promptTokens,
        outputTokens: run.outputTokens,
        toolCalls: run.toolCalls,
      };
      return drive(run, conversation, { ...totals }, state.elapsedMs, state.calls, signal);
    },
  };
}

export type ChatRunner = ReturnType<typeof createChatRunner>;
export type { Content };

/**
 * A refusal that carries a stable code (the MCP server's McpAuthError, e.g. a connection
 * that was removed) tells the user what to fix; anything else is worth a retry.
 */
function toolsUnavailableMessage(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{2,63}$/.test(code) && error instanceof Error) {
    return `the AirSuite tools could not be listed: ${code}: ${error.message}`;
  }
  return 'the AirSuite tools could not be listed; try again';
}
