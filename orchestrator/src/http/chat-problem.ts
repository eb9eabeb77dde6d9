import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ChatError, type ChatErrorCode, isChatError } from '../loop/errors.ts';

/**
 * ChatError → problem+json, the chat's half of the platform's error handler. The platform's
 * catalogue (PlatformError) is closed, so chat codes keep their own names (`code:
 * 'CHAT_RUN_IN_PROGRESS'`) in the same RFC 9457 shape; everything else goes on to the
 * platform's handler. Only errors before a stream opens become HTTP answers: a run's own
 * failures are SSE `error` events.
 */

/** Same base as the platform's problem types. */
const PROBLEM_TYPE_BASE = 'https://airsuite.dev/problems/';
const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';
const INTERNAL_DETAIL = 'unexpected error; the request id is in the response';

export const CHAT_ERROR_STATUS: Readonly<Record<ChatErrorCode, number>> = Object.freeze({
  CHAT_MODEL_NOT_CONFIGURED: 503,
  CHAT_MODEL_UNAVAILABLE: 503,
  CHAT_MODEL_RATE_LIMITED: 429,
  CHAT_MODEL_REJECTED: 502,
  CHAT_STEP_LIMIT: 422,
  CHAT_TIME_LIMIT: 422,
  CHAT_TURN_TOKEN_BUDGET: 422,
  CHAT_MONTHLY_BUDGET_EXHAUSTED: 429,
  CHAT_CANCELLED: 409,
  CHAT_RUN_IN_PROGRESS: 409,
  CHAT_APPROVAL_NOT_FOUND: 404,
  CHAT_APPROVAL_ALREADY_DECIDED: 409,
  CHAT_CONVERSATION_NOT_FOUND: 404,
  CHAT_TOOLS_UNAVAILABLE: 503,
  CHAT_INTERNAL: 500,
});

const TITLES: Partial<Record<ChatErrorCode, string>> = {
  CHAT_CONVERSATION_NOT_FOUND: 'Conversation not found',
  CHAT_APPROVAL_NOT_FOUND: 'Approval not found',
  CHAT_RUN_IN_PROGRESS: 'A run is in progress',
  CHAT_APPROVAL_ALREADY_DECIDED: 'Approval already decided',
  CHAT_MODEL_NOT_CONFIGURED: 'Model not configured',
};

export interface ChatProblemBody {
  type: string;
  title: string;
  status: number;
  code: ChatErrorCode;
  detail: string;
  instance: string;
  request_id: string;
  [extra: string]: unknown;
}

export function chatProblem(error: ChatError, requestId: string, instance: string): ChatProblemBody {
  const status = CHAT_ERROR_STATUS[error.code];
  const internal = error.code === 'CHAT_INTERNAL';
  const body: ChatProblemBody = {
    type: `${PROBLEM_TYPE_BASE}${error.code.toLowerCase().replaceAll('_', '-')}`,
    title: TITLES[error.code] ?? error.code,
    status,
    code: error.code,
    detail: internal ? INTERNAL_DETAIL : error.message,
    instance,
    request_id: requestId,
  };
  for (const [key, value] of Object.entries(internal ? {} : (error.details ?? {}))) {
    const name = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    // The problem's own members always win over extras of the same name.
    if (!(name in body)) body[name] = value;
  }
  return body;
}

/**
 * Answers ChatErrors in the plugin it is installed in; rethrowing hands every other error to
 * the parent (platform) handler.
 */
export function installChatErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    if (!isChatError(error)) throw error;
    const body = chatProblem(error, request.id, request.url.split('?')[0] ?? request.url);
    if (body.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: body.code, status: body.status }, 'request rejected');
    return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  });
}
