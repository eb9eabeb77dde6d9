import { codedError } from '@airsuite/platform-api';

/** Why a run stopped early or could not start; stable codes for clients (and the model never sees them). */
export const CHAT_ERROR_CODES = [
  'CHAT_MODEL_NOT_CONFIGURED',
  'CHAT_MODEL_UNAVAILABLE',
  'CHAT_MODEL_RATE_LIMITED',
  'CHAT_MODEL_REJECTED',
  'CHAT_STEP_LIMIT',
  'CHAT_TIME_LIMIT',
  'CHAT_TURN_TOKEN_BUDGET',
  'CHAT_MONTHLY_BUDGET_EXHAUSTED',
  'CHAT_CANCELLED',
  'CHAT_RUN_IN_PROGRESS',
  'CHAT_APPROVAL_NOT_FOUND',
  'CHAT_APPROVAL_ALREADY_DECIDED',
  'CHAT_CONVERSATION_NOT_FOUND',
  'CHAT_TOOLS_UNAVAILABLE',
  'CHAT_INTERNAL',
] as const;

export type ChatErrorCode = (typeof CHAT_ERROR_CODES)[number];

export class ChatError extends codedError<ChatErrorCode>('ChatError') {
  constructor(
    code: ChatErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(code, message);
  }
}

/** A ChatError, also from another copy of this package. */
export const isChatError = (value: unknown): value is ChatError => ChatError.isInstance(value);

/**
 * No model for the workspace: what to do, said once (clients show this message, not a hint of
 * their own). Chat refuses with it before making a conversation or a run.
 */
export const modelNotConfigured = () =>
  new ChatError(
    'CHAT_MODEL_NOT_CONFIGURED',
    "chat has no model: set GEMINI_API_KEY where AirSuite runs and restart it, or save the workspace's own key (PATCH /v1/workspaces/{id}/chat with gemini_api_key)",
  );
