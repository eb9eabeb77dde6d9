import { codedError } from './coded-error.ts';

/**
 * The gateway's error catalogue. Codes are stable and never reused; tests assert them.
 * Messages say what happened and what to do, and never contain a token.
 */
export const GATEWAY_ERRORS = {
  /** The base's queue holds `maxQueueLength` waiting requests already. Refused at once. */
  GATEWAY_QUEUE_FULL: {
    status: 429,
    message: 'The gateway queue for this base is full; retry after the indicated delay',
  },
  /**
   * The request's turn would come later than `maxQueueWaitMs` allows: refused at once when its
   * expected turn (its place in the queue over the admission rate) lies beyond the limit, or
   * when the limit passes before its turn came. Retry-After: when a new request would be
   * served in time.
   */
  GATEWAY_QUEUE_TIMEOUT: {
    status: 429,
    message:
      'The request cannot have its turn within the wait the gateway allows; retry after the indicated delay',
  },
  AIRTABLE_RATE_LIMITED: {
    status: 429,
    message: 'Airtable kept answering 429 after the gateway paused and retried',
  },
  AIRTABLE_BILLING_LIMIT: {
    status: 429,
    message: "Airtable's monthly API call limit for this workspace's plan is used up; waiting will not help",
  },
  AIRTABLE_ERROR: { status: 502, message: 'Airtable answered with an error' },
  GATEWAY_UPSTREAM_UNAVAILABLE: { status: 502, message: 'Airtable could not be reached after retries' },
  GATEWAY_UPSTREAM_TIMEOUT: { status: 504, message: 'Airtable did not answer within the request timeout' },
  GATEWAY_WRITE_OUTCOME_UNKNOWN: {
    status: 502,
    message:
      'The connection failed after a write was sent, so it may or may not have been applied; it was not retried to avoid writing twice. Read the records to check before retrying',
  },
  GATEWAY_ABORTED: { status: 499, message: 'The caller cancelled the request' },
  GATEWAY_INVALID_REQUEST: { status: 400, message: 'The request cannot be sent to Airtable' },
  GATEWAY_UNAUTHENTICATED: {
    status: 401,
    message: 'Send an Airtable token as "Authorization: Bearer <token>"',
  },
} as const;

export type GatewayErrorCode = keyof typeof GATEWAY_ERRORS;

export interface GatewayErrorDetails {
  message?: string;
  /** For 429s of the gateway's own: when to try again. */
  retryAfterMs?: number;
  /** Airtable's HTTP status and error type, when Airtable answered. */
  upstreamStatus?: number;
  airtableType?: string;
  cause?: unknown;
}

export class GatewayError extends codedError<GatewayErrorCode>('GatewayError') {
  readonly status: number;
  readonly retryAfterMs: number | undefined;
  readonly upstreamStatus: number | undefined;
  readonly airtableType: string | undefined;

  constructor(code: GatewayErrorCode, details: GatewayErrorDetails = {}) {
    super(code, details.message ?? GATEWAY_ERRORS[code].message, { cause: details.cause });
    this.status = details.upstreamStatus ?? GATEWAY_ERRORS[code].status;
    this.retryAfterMs = details.retryAfterMs;
    this.upstreamStatus = details.upstreamStatus;
    this.airtableType = details.airtableType;
  }

  /** Airtable's envelope, so Airtable clients behind the proxy can read it. */
  toBody(): { error: { type: string; message: string } } {
    return { error: { type: this.code, message: this.message } };
  }
}

/** A GatewayError, also from another copy of this package. */
export function isGatewayError(value: unknown): value is GatewayError {
  return GatewayError.isInstance(value);
}
