import type { ToolErrorCode } from '@airsuite/tools';
import { codedError } from '@airsuite/tools';
import { PLUGIN_STATUSES } from './plugins/plugin-error.ts';

/**
 * A tool's own failure keeps its code over REST, so REST callers branch on the same codes as
 * MCP clients. Typed against the tools' catalogue of codes: a new tool code without a status
 * here does not compile.
 */
const TOOL_STATUSES = {
  TOOL_INVALID_INPUT: 400,
  TOOL_UNKNOWN_BASE: 422,
  TOOL_UNKNOWN_TABLE: 422,
  TOOL_UNKNOWN_FIELD: 422,
  TOOL_INVALID_FILTER: 422,
  TOOL_INVALID_CURSOR: 422,
  TOOL_NOT_ALLOWED: 403,
  TOOL_READ_ONLY: 403,
  TOOL_RATE_LIMITED: 429,
  TOOL_AIRTABLE_ERROR: 502,
  TOOL_WRITE_PARTIAL: 502,
  TOOL_UNAVAILABLE: 503,
  TOOL_CANCELLED: 503,
  TOOL_INTERNAL_ERROR: 500,
  TOOL_IDEMPOTENCY_KEY_REUSED: 409,
  TOOL_OPERATION_IN_PROGRESS: 409,
  TOOL_OPERATION_NOT_FOUND: 404,
  TOOL_PLUGIN_FAILED: 502,
} as const satisfies Record<ToolErrorCode, number>;

/**
 * Every failure the platform reports, with its HTTP status. Codes are stable and never
 * reused; clients branch on `code`, people read `message`. Messages never carry secrets.
 */
export const PLATFORM_ERRORS = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  BODY_TOO_LARGE: 413,
  AUTH_REQUIRED: 401,
  AUTH_INVALID_TOKEN: 401,
  AUTH_TOKEN_EXPIRED: 401,
  AUTH_INVALID_CREDENTIALS: 401,
  AUTH_REFRESH_TOKEN_INVALID: 401,
  AUTH_REFRESH_TOKEN_REUSED: 401,
  AUTH_API_KEY_REVOKED: 401,
  AUTH_THROTTLED: 429,
  AUTH_USER_TOKEN_REQUIRED: 403,
  AUTH_WORKSPACE_REQUIRED: 400,
  PASSWORD_TOO_WEAK: 400,
  PASSWORD_INCORRECT: 403,
  PASSWORD_UNCHANGED: 400,
  EMAIL_TAKEN: 409,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  WORKSPACE_NOT_FOUND: 404,
  MEMBER_NOT_FOUND: 404,
  MEMBER_EXISTS: 409,
  USER_NOT_FOUND: 404,
  LAST_OWNER: 409,
  API_KEY_NOT_FOUND: 404,
  CONNECTION_NOT_FOUND: 404,
  CONNECTION_INVALID_TOKEN: 422,
  CONNECTION_UNREACHABLE: 502,
  CONNECTION_REQUIRED: 409,
  TOOL_NOT_FOUND: 404,
  WEBHOOK_NOT_FOUND: 404,
  WEBHOOK_MESSAGE_NOT_FOUND: 404,
  WEBHOOK_EVENT_TYPE_UNKNOWN: 400,
  WEBHOOK_LIMIT_REACHED: 409,
  // Replaying or testing needs the endpoint on.
  WEBHOOK_DISABLED: 409,
  WEBHOOK_URL_INVALID: 400,
  // The URL leads to an address deliveries may not reach (loopback, private, metadata…).
  WEBHOOK_URL_FORBIDDEN: 422,
  // Change capture: no capture of that base; Airtable's 10 webhooks a base are taken; Airtable
  // refused to register one (base out of the connection's reach, no creator permission, scopes).
  WEBHOOK_CAPTURE_NOT_FOUND: 404,
  WEBHOOK_CAPTURE_LIMIT: 409,
  WEBHOOK_CAPTURE_REFUSED: 422,
  // An Airtable notification whose X-Airtable-Content-MAC does not verify.
  WEBHOOK_NOTIFICATION_UNVERIFIED: 401,
  ...TOOL_STATUSES,
  ...PLUGIN_STATUSES,
  RATE_LIMITED: 429,
  // PostgreSQL cannot be reached (down, restarting, connections cut): nobody's fault, try again.
  DATABASE_UNAVAILABLE: 503,
  INTERNAL: 500,
} as const satisfies Record<string, number>;

export type PlatformErrorCode = keyof typeof PLATFORM_ERRORS;

/** A failure the platform reports to its caller, with the HTTP status of its code. */
export class PlatformError extends codedError<PlatformErrorCode>('PlatformError') {
  readonly status: number;
  constructor(
    code: PlatformErrorCode,
    message: string,
    /** Machine-readable extras (e.g. `{ errors: [{ field, message }] }`, `retryAfterSeconds`); never secrets. */
    readonly details?: Record<string, unknown>,
    /** `cause` for the logs (the driver's error behind DATABASE_UNAVAILABLE); never sent to a client. */
    options?: ErrorOptions,
  ) {
    super(code, message, options);
    this.status = PLATFORM_ERRORS[code];
  }
}

/** A PlatformError, also from another copy of this package. */
export function isPlatformError(value: unknown): value is PlatformError {
  return PlatformError.isInstance(value);
}
