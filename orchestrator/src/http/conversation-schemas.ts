import type { z as zod } from 'zod';
import { z } from 'zod';

/** Wire shapes of the conversation routes (snake_case JSON), and their OpenAPI documentation. */

export const MAX_MESSAGE_CHARS = 8000;

export const conversationId = z
  .string()
  .regex(/^cnv_[A-Za-z0-9]{1,64}$/, 'must be a conversation id (cnv_…)');
export const approvalId = z.string().regex(/^apr_[A-Za-z0-9]{1,64}$/, 'must be an approval id (apr_…)');
export const workspaceId = z.string().regex(/^wsp_[A-Za-z0-9]{1,64}$/, 'must be a workspace id (wsp_…)');

export const conversationParams = z.object({ id: conversationId });

export const conversationSchema = z.object({
  id: z.string(),
  workspace_id: z.string(),
  title: z.string().optional(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const toolCallViewSchema = z.object({
  type: z.literal('tool_call'),
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  status: z
    .enum(['ok', 'error', 'denied', 'cancelled', 'pending'])
    .describe('denied/cancelled: by the user before it ran; pending: no result yet (waiting for approval)'),
  summary: z.string().optional().describe('a short description of the result, or the error message'),
  code: z.string().optional().describe('the error code when status is error, denied or cancelled'),
  edited_arguments: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('what actually ran, when the user edited the call'),
});

export const turnSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('user'), text: z.string() }),
  z.object({
    role: z.literal('assistant'),
    parts: z.array(z.union([z.object({ type: z.literal('text'), text: z.string() }), toolCallViewSchema])),
  }),
]);

export const runSchema = z.object({
  id: z.string(),
  status: z.enum(['running', 'awaiting_approval', 'completed', 'failed', 'cancelled']),
  steps: z.number(),
  prompt_tokens: z.number(),
  output_tokens: z.number(),
  total_tokens: z.number(),
  tool_calls: z.number(),
  error_code: z.string().optional(),
  started_at: z.string(),
  finished_at: z.string().optional(),
});

export const pendingApprovalSchema = z.object({
  id: z.string(),
  call_id: z.string(),
  tool: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  reason: z.string().describe('destructive or bulk_write'),
  preview: z.unknown().optional().describe("the tool's dry run: what would change"),
});

export const conversationDetailSchema = conversationSchema.extend({
  turns: z.array(turnSchema),
  latest_run: runSchema.optional(),
  usage: z
    .object({
      runs: z.number(),
      prompt_tokens: z.number(),
      output_tokens: z.number(),
      total_tokens: z.number(),
      tool_calls: z.number(),
    })
    .describe('totals of every run of the conversation'),
  pending_approvals: z.array(pendingApprovalSchema),
});

export type ConversationJson = zod.output<typeof conversationSchema>;
export type Turn = zod.output<typeof turnSchema>;
export type ToolCallView = zod.output<typeof toolCallViewSchema>;
export type AssistantPart = Extract<Turn, { role: 'assistant' }>['parts'][number];

const EVENT_STREAM_DESCRIPTION =
  'text/event-stream. Each event: `id: <runId>:<seq>`, `event: <type>`, `data: <json>` with type ' +
  'run_started, text_delta, tool_call_started, tool_call_finished, approval_requested, approval_decided, ' +
  'usage, error or done. The stream ends after the first `done` (status completed, failed, cancelled, or ' +
  'awaiting_approval). A run that fails sends `error` then `done`, still with HTTP 200. Comment lines ' +
  '(`: ping`) keep the connection alive.';

/** A 200 answered as Server-Sent Events; documented with its own media type. */
export const eventStream = z.string().meta({
  description: EVENT_STREAM_DESCRIPTION,
  content: { 'text/event-stream': { schema: { type: 'string', description: EVENT_STREAM_DESCRIPTION } } },
});
