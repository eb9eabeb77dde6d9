/**
 * Outbound webhook delivery, one attempt at a time (issue 13): sign (Standard Webhooks v1),
 * check the URL against the SSRF policy, send pinned to the approved addresses, classify what
 * happened, and say when to try again. The worker, outbox and endpoints build on these names
 * only; everything else in this folder is internal.
 */
export type {
  AddressPolicy,
  AddressPolicyOptions,
  ResolvedAddress,
  ResolveHost,
  UrlCheck,
  UrlRefusal,
  WebhookTarget,
} from './address-policy.ts';
export { createAddressPolicy, FORBIDDEN_PORTS, resolveWithSystemDns } from './address-policy.ts';
export type {
  AttemptOutcome,
  AttemptRecord,
  AttemptResponse,
  AttemptVerdict,
  DisableCode,
  RetryCode,
} from './attempt-outcome.ts';
export type { WebhookAttemptCode, WebhookDeliveryErrorCode, WebhookUrlRefusalCode } from './errors.ts';
export { WebhookDeliveryError } from './errors.ts';
export type { NextAttempt, NextAttemptInput, RetrySchedule, RetryScheduleOptions } from './retry-schedule.ts';
export {
  createRetrySchedule,
  DEFAULT_MAX_RETRY_AFTER_MS,
  DEFAULT_RETRY_DELAYS_MS,
  DEFAULT_RETRY_JITTER,
  parseRetryAfter,
} from './retry-schedule.ts';
export type { WebhookAttempt, WebhookSender, WebhookSenderOptions } from './send-attempt.ts';
export {
  createWebhookSender,
  DEFAULT_ATTEMPT_TIMEOUT_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
  isReservedHeaderName,
  RESERVED_HEADER_NAMES,
} from './send-attempt.ts';
export type { SignWebhookInput, WebhookSignatureHeaders } from './signing.ts';
export { generateWebhookSecret, isWebhookSecret, signWebhook, WEBHOOK_SECRET_PREFIX } from './signing.ts';
