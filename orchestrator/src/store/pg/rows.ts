import type { ApprovalRecord, Conversation, RunRecord } from '../chat-store.ts';

// The chat tables' rows as the driver returns them (pg and PGlite alike), and their records.

export const iso = (value: Date | string | null | undefined) =>
  value ? new Date(value).toISOString() : undefined;
export const num = (value: string | number | null | undefined) => Number(value ?? 0);

export interface ConversationRow {
  id: string;
  workspace_id: string;
  actor_type: 'user' | 'api_key';
  actor_id: string;
  title: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

export const toConversation = (row: ConversationRow): Conversation => ({
  id: row.id,
  workspaceId: row.workspace_id,
  actor: { type: row.actor_type, id: row.actor_id },
  ...(row.title ? { title: row.title } : {}),
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
});

export interface RunRow {
  id: string;
  conversation_id: string;
  workspace_id: string;
  status: RunRecord['status'];
  steps: number;
  prompt_tokens: string | number;
  output_tokens: string | number;
  tool_calls: number;
  error_code: string | null;
  state: unknown;
  started_at: Date | string;
  updated_at: Date | string;
  finished_at: Date | string | null;
}

export const toRun = (row: RunRow): RunRecord => ({
  id: row.id,
  conversationId: row.conversation_id,
  workspaceId: row.workspace_id,
  status: row.status,
  steps: row.steps,
  promptTokens: num(row.prompt_tokens),
  outputTokens: num(row.output_tokens),
  toolCalls: row.tool_calls,
  ...(row.error_code ? { errorCode: row.error_code } : {}),
  ...(row.state !== null && row.state !== undefined ? { state: row.state } : {}),
  startedAt: new Date(row.started_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
  ...(row.finished_at ? { finishedAt: iso(row.finished_at) } : {}),
});

export interface ApprovalRow {
  id: string;
  run_id: string;
  conversation_id: string;
  workspace_id: string;
  call_id: string;
  tool: string;
  arguments: Record<string, unknown>;
  reason: string;
  preview: unknown;
  status: ApprovalRecord['status'];
  decision_reason: string | null;
  edited_arguments: Record<string, unknown> | null;
}

export const toApproval = (row: ApprovalRow): ApprovalRecord => ({
  id: row.id,
  runId: row.run_id,
  conversationId: row.conversation_id,
  workspaceId: row.workspace_id,
  callId: row.call_id,
  tool: row.tool,
  arguments: row.arguments,
  reason: row.reason,
  ...(row.preview !== null && row.preview !== undefined ? { preview: row.preview } : {}),
  status: row.status,
  ...(row.decision_reason ? { decisionReason: row.decision_reason } : {}),
  ...(row.edited_arguments ? { editedArguments: row.edited_arguments } : {}),
});

export const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
