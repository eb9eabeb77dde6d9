import type { Database } from '@airsuite/platform-api';
import type { ChatStore } from '../chat-store.ts';
import { type ApprovalRow, json, toApproval } from './rows.ts';

/** Approvals of paused calls; each is decided once. */
export function pgApprovals(
  db: Database,
): Pick<ChatStore, 'createApproval' | 'getApproval' | 'approvalsOf' | 'decideApproval'> {
  return {
    async createApproval(approval) {
      const [row] = await db.query<ApprovalRow>(
        `INSERT INTO approvals (id, run_id, conversation_id, workspace_id, call_id, tool, arguments, reason, preview, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending') RETURNING *`,
        [
          approval.id,
          approval.runId,
          approval.conversationId,
          approval.workspaceId,
          approval.callId,
          approval.tool,
          JSON.stringify(approval.arguments),
          approval.reason,
          json(approval.preview),
        ],
      );
      if (!row) throw new Error('approval insert returned nothing');
      return toApproval(row);
    },

    async getApproval(approvalId) {
      const [row] = await db.query<ApprovalRow>('SELECT * FROM approvals WHERE id = $1', [approvalId]);
      return row ? toApproval(row) : undefined;
    },

    async approvalsOf(runId) {
      const rows = await db.query<ApprovalRow>(
        'SELECT * FROM approvals WHERE run_id = $1 ORDER BY created_at, id',
        [runId],
      );
      return rows.map(toApproval);
    },

    async decideApproval(approvalId, decision) {
      const rows = await db.query(
        `UPDATE approvals SET status = $2, decision_reason = $3, edited_arguments = $4, decided_by = $5, decided_at = now()
          WHERE id = $1 AND status = 'pending' RETURNING id`,
        [
          approvalId,
          decision.status,
          decision.reason ?? null,
          json(decision.editedArguments),
          decision.decidedBy,
        ],
      );
      return rows.length === 1;
    },
  };
}
