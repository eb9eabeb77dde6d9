import type { Conversation, RunRecord, UsageTotals } from '../store/chat-store.ts';

/** A conversation as the API shows it. */
export const conversationJson = (conversation: Conversation) => ({
  id: conversation.id,
  workspace_id: conversation.workspaceId,
  ...(conversation.title !== undefined ? { title: conversation.title } : {}),
  created_at: conversation.createdAt,
  updated_at: conversation.updatedAt,
});

/** Usage totals as the API shows them (a conversation's, or a workspace's month). */
export const usageJson = (usage: UsageTotals) => ({
  runs: usage.runs,
  prompt_tokens: usage.promptTokens,
  output_tokens: usage.outputTokens,
  total_tokens: usage.promptTokens + usage.outputTokens,
  tool_calls: usage.toolCalls,
});

/** A run as the API shows it, its token totals summed. */
export const runJson = (run: RunRecord) => ({
  id: run.id,
  status: run.status,
  steps: run.steps,
  prompt_tokens: run.promptTokens,
  output_tokens: run.outputTokens,
  total_tokens: run.promptTokens + run.outputTokens,
  tool_calls: run.toolCalls,
  ...(run.errorCode ? { error_code: run.errorCode } : {}),
  started_at: run.startedAt,
  ...(run.finishedAt ? { finished_at: run.finishedAt } : {}),
});
