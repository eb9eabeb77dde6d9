import { STATUS_CODES } from 'node:http';
import { isPlatformError, type PlatformErrorCode } from '../errors.ts';

/**
 * The one place where a thrown value becomes an HTTP answer: an RFC 9457 problem document
 * (`application/problem+json`) with a stable `code`. Client faults keep their status and a
 * safe message; anything unexpected becomes a 500 `INTERNAL` whose detail never carries the
 * error's message or stack (the request id lets an operator find it in the logs).
 */

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';
export const PROBLEM_TYPE_BASE = 'https://airsuite.dev/problems/';
export const INTERNAL_DETAIL = 'unexpected error; the request id is in the response';

/**
 * Codes a problem can carry: the platform catalogue, plus `BAD_REQUEST` for framework-level
 * client faults the catalogue has no name for (bad URL encoding, content-length mismatch…).
 */
export type ProblemCode = PlatformErrorCode | 'BAD_REQUEST';

export interface FieldError {
  /** Dotted path inside `location` (`email`, `items.0.name`); the location itself for the whole part. */
  field: string;
  location?: 'body' | 'params' | 'query' | 'headers';
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail: string;
  instance?: string;
  request_id: string;
  /** Extras from `PlatformError.details`, top-level keys in snake_case (`errors`, `retry_after_seconds`). */
  [extra: string]: unknown;
}

export interface Problem {
  status: number;
  body: ProblemBody;
  /** Response headers the problem implies, e.g. `Retry-After`. */
  headers: Record<string, string>;
}

const TITLES: Partial<Record<ProblemCode, string>> = {
  VALIDATION_FAILED: 'Request validation failed',
  MALFORMED_JSON: 'Malformed JSON body',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported media type',
  BODY_TOO_LARGE: 'Request body too large',
  AUTH_REQUIRED: 'Authentication required',
  AUTH_INVALID_TOKEN: 'Invalid credential',
  AUTH_TOKEN_EXPIRED: 'Access token expired',
  AUTH_INVALID_CREDENTIALS: 'Invalid email or password',
  AUTH_REFRESH_TOKEN_INVALID: 'Invalid refresh token',
  AUTH_REFRESH_TOKEN_REUSED: 'Refresh token reused',
  AUTH_API_KEY_REVOKED: 'API key revoked',
  AUTH_THROTTLED: 'Too many sign-in attempts',
  AUTH_USER_TOKEN_REQUIRED: 'User token required',
  AUTH_WORKSPACE_REQUIRED: 'Workspace required',
  PASSWORD_TOO_WEAK: 'Password too weak',
  EMAIL_TAKEN: 'Email already registered',
  FORBIDDEN: 'Forbidden',
  NOT_FOUND: 'Not found',
  WORKSPACE_NOT_FOUND: 'Workspace not found',
  MEMBER_NOT_FOUND: 'Member not found',
  MEMBER_EXISTS: 'Already a member',
  USER_NOT_FOUND: 'User not found',
  LAST_OWNER: 'Workspace needs an owner',
  API_KEY_NOT_FOUND: 'API key not found',
  CONNECTION_NOT_FOUND: 'Connection not found',
  CONNECTION_INVALID_TOKEN: 'Airtable rejected the token',
  CONNECTION_UNREACHABLE: 'Airtable unreachable',
  CONNECTION_REQUIRED: 'Airtable connection required',
  TOOL_NOT_FOUND: 'Tool not found',
  WEBHOOK_NOT_FOUND: 'Webhook endpoint not found',
  WEBHOOK_MESSAGE_NOT_FOUND: 'Webhook message not found',
  WEBHOOK_EVENT_TYPE_UNKNOWN: 'Unknown event type',
  WEBHOOK_LIMIT_REACHED: 'Too many webhook endpoints',
  WEBHOOK_DISABLED: 'Webhook endpoint is disabled',
  WEBHOOK_URL_INVALID: 'Invalid webhook URL',
  WEBHOOK_URL_FORBIDDEN: 'Webhook URL not allowed',
  WEBHOOK_CAPTURE_NOT_FOUND: 'Change capture not found',
  WEBHOOK_CAPTURE_LIMIT: 'Too many Airtable webhooks on this base',
  WEBHOOK_CAPTURE_REFUSED: 'Airtable refused the webhook',
  WEBHOOK_NOTIFICATION_UNVERIFIED: 'Notification not verified',
  RATE_LIMITED: 'Rate limited',
  DATABASE_UNAVAILABLE: 'Database unavailable',
  INTERNAL: 'Internal error',
  BAD_REQUEST: 'Bad request',
};

/** Fastify's own client-fault codes that have a name in our catalogue. */
const FASTIFY_CODES: Record<string, ProblemCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
};

const STATUS_OF: Partial<Record<ProblemCode, number>> = {
  MALFORMED_JSON: 400,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  VALIDATION_FAILED: 400,
};

/**
 * Map anything thrown while serving a request to a problem document.
 * @param requestId echoed as `request_id` so a client can quote it.
 * @param instance the request path (no query string), echoed as `instance`.
 */
export function toProblem(error: unknown, requestId: string, instance?: string): Problem {
  if (isPlatformError(error)) {
    const internal = error.code === 'INTERNAL';
    return build(error.status, error.code, internal ? INTERNAL_DETAIL : error.message, requestId, instance, {
      details: internal ? undefined : error.details,
    });
  }
  const fields = fieldsOf(error);
  if (fields.code !== undefined && FASTIFY_CODES[fields.code] !== undefined) {
    const code = FASTIFY_CODES[fields.code]!;
    return build(STATUS_OF[code]!, code, fields.message ?? TITLES[code]!, requestId, instance);
  }
  if (Array.isArray(fields.validation)) {
    const location = locationOf(fields.validationContext);
    const errors = fields.validation.map((issue) => ajvFieldError(issue, location));
    const detail = `the request ${location} is invalid`;
    return build(400, 'VALIDATION_FAILED', detail, requestId, instance, { details: { errors } });
  }
  if (error instanceof SyntaxError && fields.statusCode === 400) {
    // A body parser that threw JSON.parse's own error.
    return build(400, 'MALFORMED_JSON', 'the request body is not valid JSON', requestId, instance);
  }
  const status = fields.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    // Fastify's messages for its client faults are fixed templates; other libraries' may not be.
    const detail =
      fields.code?.startsWith('FST_') && fields.message
        ? fields.message
        : (STATUS_CODES[status] ?? 'Bad request');
    const code: ProblemCode = status === 404 ? 'NOT_FOUND' : status === 429 ? 'RATE_LIMITED' : 'BAD_REQUEST';
    return build(status, code, detail, requestId, instance, { title: STATUS_CODES[status] });
  }
  return build(500, 'INTERNAL', INTERNAL_DETAIL, requestId, instance);
}

function build(
  status: number,
  code: ProblemCode,
  detail: string,
  requestId: string,
  instance: string | undefined,
  extra: { details?: Record<string, unknown> | undefined; title?: string | undefined } = {},
): Problem {
  const body: ProblemBody = {
    type: `${PROBLEM_TYPE_BASE}${code.toLowerCase().replaceAll('_', '-')}`,
    title: extra.title ?? TITLES[code] ?? STATUS_CODES[status] ?? 'Error',
    status,
    code,
    detail,
    request_id: requestId,
  };
  if (instance !== undefined) body.instance = instance;
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(extra.details ?? {})) {
    const name = snakeCase(key);
    // The problem's own members always win over extras of the same name.
    if (!(name in body)) body[name] = value;
  }
  const retryAfter = body.retry_after_seconds;
  if (typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter >= 0) {
    headers['retry-after'] = String(Math.ceil(retryAfter));
  }
  // RFC 6750: a 401 names the scheme the client should use.
  if (status === 401) headers['www-authenticate'] = 'Bearer realm="airsuite"';
  return { status, body, headers };
}

interface ErrorFields {
  code?: string;
  statusCode?: number;
  message?: string;
  validation?: unknown[];
  validationContext?: string;
}

function fieldsOf(error: unknown): ErrorFields {
  if (typeof error !== 'object' || error === null) return {};
  const e = error as Record<string, unknown>;
  return {
    code: typeof e.code === 'string' ? e.code : undefined,
    statusCode: typeof e.statusCode === 'number' ? e.statusCode : undefined,
    message: typeof e.message === 'string' ? e.message : undefined,
    validation: Array.isArray(e.validation) ? e.validation : undefined,
    validationContext: typeof e.validationContext === 'string' ? e.validationContext : undefined,
  };
}

/** Fastify names the query part `querystring`; the API calls it `query`. */
export function locationOf(httpPart: string | undefined): NonNullable<FieldError['location']> {
  switch (httpPart) {
    case 'params':
      return 'params';
    case 'querystring':
    case 'query':
      return 'query';
    case 'headers':
      return 'headers';
    default:
      return 'body';
  }
}

/** An Ajv-style issue (a route validated by Fastify's default compiler rather than ours). */
function ajvFieldError(issue: unknown, location: NonNullable<FieldError['location']>): FieldError {
  const i = (typeof issue === 'object' && issue !== null ? issue : {}) as Record<string, unknown>;
  const params = (typeof i.params === 'object' && i.params !== null ? i.params : {}) as Record<
    string,
    unknown
  >;
  const path = typeof i.instancePath === 'string' ? i.instancePath.split('/').filter(Boolean) : [];
  if (typeof params.missingProperty === 'string') path.push(params.missingProperty);
  return {
    field: path.length > 0 ? path.join('.') : location,
    location,
    message: typeof i.message === 'string' ? i.message : 'invalid value',
  };
}

function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
