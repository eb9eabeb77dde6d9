import { ChatError } from '../loop/errors.ts';
import type { RunEvent } from '../loop/events.ts';
import type { ChatStore, Conversation, RunRecord } from '../store/chat-store.ts';

export interface Decision {
  decision: 'approve' | 'deny' | 'edit';
  reason?: string;
  arguments?: Record<string, unknown>;
}

/**
 * Records a decision on an approval of the conversation (once: a second is
 * CHAT_APPROVAL_ALREADY_DECIDED) and tells the run's watchers; returns the run and how many
 * of its approvals are still pending (none: it may resume).
 */
export async function recordDecision(
  store: ChatStore,
  emit: (runId: string, event: RunEvent) => Promise<void>,
  conversation: Conversation,
  approvalId: string,
  decision: Decision & { decidedBy: string },
): Promise<{ run: RunRecord; pending: number }> {
  const approval = await store.getApproval(approvalId);
  if (!approval || approval.conversationId !== conversation.id) {
    throw new ChatError('CHAT_APPROVAL_NOT_FOUND', 'no approval with this id in this conversation');
  }
  const status =
    decision.decision === 'approve' ? 'approved' : decision.decision === 'deny' ? 'denied' : 'edited';
  const decided = await store.decideApproval(approvalId, {
    status,
    ...(decision.reason ? { reason: decision.reason } : {}),
    ...(decision.decision === 'edit' && decision.arguments ? { editedArguments: decision.arguments } : {}),
    decidedBy: decision.decidedBy,
  });
  if (!decided) throw new ChatError('CHAT_APPROVAL_ALREADY_DECIDED', 'this approval was already decided');
  await emit(approval.runId, {
    type: 'approval_decided',
    approval_id: approvalId,
    decision: decision.decision,
    ...(decision.reason ? { reason: decision.reason } : {}),
  });
  const run = await store.getRun(approval.runId);
  if (!run) throw new ChatError('CHAT_APPROVAL_NOT_FOUND', 'the run of this approval is gone');
  const pending = (await store.approvalsOf(run.id)).filter((a) => a.status === 'pending');
  return { run, pending: pending.length };
}
