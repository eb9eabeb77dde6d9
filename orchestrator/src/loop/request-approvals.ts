import { newId } from '@airsuite/platform-api';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { approvalReason, supportsDryRun, toolJudgedFor } from './approval-policy.ts';
import type { LoopContext, RunScope } from './run-context.ts';
import type { PendingCall } from './run-state.ts';

/**
 * Asks for the approvals the step's calls need (destructive, or bulk writes), with a dry
 * run's preview where the tool has one; marks each such call with its approval. True when
 * the run must wait.
 */
export async function requestApprovals(
  context: LoopContext,
  scope: RunScope,
  calls: PendingCall[],
  byName: ReadonlyMap<string, Tool>,
): Promise<boolean> {
  let waiting = false;
  for (const call of calls) {
    const tool = byName.get(call.name);
    const reason = approvalReason(
      toolJudgedFor(call.name, call.args, byName),
      call.args,
      context.limits.bulkWriteThreshold,
    );
    if (!reason) continue;
    waiting = true;
    const preview = supportsDryRun(tool) ? await dryRun(context, scope, call) : undefined;
    const approval = await context.store.createApproval({
      id: newId('apr'),
      runId: scope.run.id,
      conversationId: scope.conversation.id,
      workspaceId: scope.conversation.workspaceId,
      callId: call.callId,
      tool: call.name,
      arguments: call.args,
      reason,
      ...(preview !== undefined ? { preview } : {}),
    });
    call.approvalId = approval.id;
    await context.emit(scope.run.id, {
      type: 'approval_requested',
      approval_id: approval.id,
      call_id: call.callId,
      name: call.name,
      arguments: call.args,
      reason,
      ...(preview !== undefined ? { preview } : {}),
    });
  }
  return waiting;
}

/** What the call would change: the tool's output with `dry_run: true`, or its error. */
async function dryRun(context: LoopContext, scope: RunScope, call: PendingCall): Promise<unknown> {
  const dry = await context.tools.callTool(call.name, { ...call.args, dry_run: true }, scope.signal);
  return dry.ok ? dry.output : { error: { code: dry.code, message: dry.message } };
}
