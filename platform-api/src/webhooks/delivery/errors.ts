/**
 * Codes of webhook delivery: what one attempt can end in, and the few caller mistakes that are
 * thrown instead. Stable, never reused; the worker and its specs branch on `code`, people read
 * `message`. No code, message or detail ever carries a signing secret or a custom header value.
 *
 * Outcome codes (returned in an attempt's outcome, never thrown):
 * - URL refusals: `WEBHOOK_URL_INVALID`, `WEBHOOK_URL_FORBIDDEN_PORT`, `WEBHOOK_URL_FORBIDDEN_ADDRESS`,
 *   `WEBHOOK_DNS_FAILED`; `WEBHOOK_HEADERS_REFUSED` for custom headers that try to replace ours.
 * - Answers: `WEBHOOK_GONE` (410), `WEBHOOK_ABORT_REQUESTED` (`webhook-delivery: abort-message`),
 *   `WEBHOOK_THROTTLED` (429), `WEBHOOK_REDIRECT_REFUSED` (3xx), `WEBHOOK_HTTP_ERROR` (any other non-2xx).
 * - No answer: `WEBHOOK_TIMEOUT`, `WEBHOOK_CONNECTION_FAILED`, `WEBHOOK_TLS_FAILED`,
 *   `WEBHOOK_BAD_RESPONSE` (not HTTP), `WEBHOOK_CANCELLED` (the caller's signal).
 *
 * Thrown (a bug in the caller, not something the receiver did): `WEBHOOK_SECRET_INVALID`,
 * `WEBHOOK_MESSAGE_INVALID`, `WEBHOOK_CONFIG_INVALID`.
 */
import { codedError } from '@airsuite/tools';

export type WebhookUrlRefusalCode =
  | 'WEBHOOK_URL_INVALID'
  | 'WEBHOOK_URL_FORBIDDEN_PORT'
  | 'WEBHOOK_URL_FORBIDDEN_ADDRESS'
  | 'WEBHOOK_DNS_FAILED';

export type WebhookAttemptCode =
  | WebhookUrlRefusalCode
  | 'WEBHOOK_HEADERS_REFUSED'
  | 'WEBHOOK_GONE'
  | 'WEBHOOK_ABORT_REQUESTED'
  | 'WEBHOOK_THROTTLED'
  | 'WEBHOOK_REDIRECT_REFUSED'
  | 'WEBHOOK_HTTP_ERROR'
  | 'WEBHOOK_TIMEOUT'
  | 'WEBHOOK_CONNECTION_FAILED'
  | 'WEBHOOK_TLS_FAILED'
  | 'WEBHOOK_BAD_RESPONSE'
  | 'WEBHOOK_CANCELLED';

export type WebhookDeliveryErrorCode =
  | 'WEBHOOK_SECRET_INVALID'
  | 'WEBHOOK_MESSAGE_INVALID'
  | 'WEBHOOK_CONFIG_INVALID';

/** A caller's mistake (a malformed secret, a message id with a dot, a bad option): thrown, never an outcome. */
export class WebhookDeliveryError extends codedError<WebhookDeliveryErrorCode>('WebhookDeliveryError') {}
