import type { Content, Part } from '@google/genai';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ApprovalRecord } from '../store/chat-store.ts';
import { lanesOf } from './call-schedule.ts';
import { fetchStoredResult } from './fetch-result-tool.ts';
import { boundedResult, FETCH_RESULT_TOOL } from './result-budget.ts';
import type { LoopContext, RunScope } from './run-context.ts';
import type { PendingCall } from './run-state.ts';
import type { ToolCallOutcome } from './tool-runner.ts';

/** A call that may run: with the arguments the user approved (edited ones, if they edited them). */
interface Runnable {
  call: PendingCall;
  args: Record<string, unknown>;
  edited: boolean;
}

type Respond = (call: PendingCall, response: Record<string, unknown>) => void;

/**
 * Runs the step's calls (reads together, writes to one table in order) and keeps their
 * responses as one user turn, in call order. The turn is kept even when the run was cancelled
 * meanwhile (its calls say TOOL_CANCELLED): a call turn without its responses would make
 * Gemini reject every later request of the conversation.
 */
export async function answerCalls(
  context: LoopContext,
  scope: RunScope,
  calls: PendingCall[],
  byName: ReadonlyMap<string, Tool>,
): Promise<Content> {
  const responses = new Map<string, Part>();
  const respond: Respond = (call, response) =>
    responses.set(call.callId, {
      functionResponse: { ...(call.geminiId ? { id: call.geminiId } : {}), name: call.name, response },
    });
  const runnable = await applyDecisions(context, scope, calls, respond);
  const byId = new Map(runnable.map((entry) => [entry.call.callId, entry]));
  const lanes = lanesOf(
    runnable.map((entry) => ({ callId: entry.call.callId, name: entry.call.name, args: entry.args })),
    byName,
  );
  await Promise.all(
    lanes.map(async (lane) => {
      for (const scheduled of lane) {
        const entry = byId.get(scheduled.callId);
        if (entry) await runCall(context, scope, entry, respond);
      }
    }),
  );
  const answered: Content = { role: 'user', parts: calls.map((call) => responses.get(call.callId) as Part) };
  await context.store.appendTurns(scope.conversation.id, scope.run.id, [answered]);
  return answered;
}

/** Answers denied calls (USER_DENIED) and returns the others; decisions matter only to calls that waited for one. */
async function applyDecisions(
  context: LoopContext,
  scope: RunScope,
  calls: PendingCall[],
  respond: Respond,
): Promise<Runnable[]> {
  const waited = calls.some((call) => call.approvalId !== undefined);
  const approvals = new Map<string, ApprovalRecord>(
    waited ? (await context.store.approvalsOf(scope.run.id)).map((a) => [a.id, a]) : [],
  );
  const runnable: Runnable[] = [];
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
  return runnable;
}

/** One call with its events: started, the outcome (a large output stored behind a handle), finished. */
async function runCall(
  context: LoopContext,
  scope: RunScope,
  entry: Runnable,
  respond: Respond,
): Promise<void> {
  const { run, conversation, totals, signal } = scope;
  const { call, args } = entry;
  const started = context.now();
  context.note(run.id, { type: 'tool_call_started', call_id: call.callId, name: call.name, arguments: args });
  const outcome: ToolCallOutcome =
    call.name === FETCH_RESULT_TOOL
      ? await fetchStoredResult(context.store, conversation.id, args)
      : await context.tools.callTool(call.name, args, signal);
  totals.toolCalls += 1;
  if (outcome.ok) {
    // A fetch_tool_result page is bounded already; storing it again would hide it behind a new handle.
    const output =
      call.name === FETCH_RESULT_TOOL
        ? outcome.output
        : await boundedResult(outcome.output, context.limits.maxResultChars, () =>
            context.store.saveToolResult(conversation.id, call.name, outcome.output),
          );
    respond(call, entry.edited ? { output, edited_arguments: args } : { output });
  } else {
    respond(call, { error: { code: outcome.code, message: outcome.message } });
  }
  context.note(run.id, {
    type: 'tool_call_finished',
    call_id: call.callId,
    name: call.name,
    ok: outcome.ok,
    summary: outcome.ok ? outcome.text.slice(0, 300) : outcome.message.slice(0, 300),
    ...(outcome.ok ? {} : { code: outcome.code }),
    duration_ms: context.now() - started,
  });
}
