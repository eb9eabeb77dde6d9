/**
 * Standard Webhooks v1 signatures (symmetric, HMAC-SHA256), as the receivers' own libraries
 * (`standardwebhooks`, Svix's) verify them:
 *
 * - a secret is `whsec_` + base64 of 24–64 random bytes (we make 32);
 * - `webhook-id` is the message id (the same on every retry: the receiver's idempotency key),
 *   `webhook-timestamp` the attempt's Unix time in seconds (new on every retry);
 * - `webhook-signature` is `v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>` for each
 *   active secret, space-separated: during a rotation both the new and the previous secret
 *   sign, so a receiver holding either one accepts the message.
 *
 * The body is signed as the exact bytes sent. Errors name the problem, never the secret.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { WebhookDeliveryError } from './errors.ts';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';
/** 256 bits; the spec asks for at least 192 (24 bytes) and at most 512 (64 bytes). */
export const DEFAULT_SECRET_BYTES = 32;
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;
/** Ids are ours (`msg_…`), but they go into a header and into the signed text: keep them plain. */
const MESSAGE_ID = /^[A-Za-z0-9_-]{1,256}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export interface WebhookSignatureHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

export interface SignWebhookInput {
  /** The message id: letters, digits, `_` and `-` only (a `.` would make the signed text ambiguous). */
  id: string;
  /** When this attempt is made; sent as whole Unix seconds. */
  timestamp: Date;
  /** The exact body sent (JSON text); a string is signed as its UTF-8 bytes. */
  body: string | Uint8Array;
  /** Every active secret (`whsec_…`), current first; at least one. */
  secrets: readonly string[];
}

/** A new signing secret, `whsec_` + base64 of `bytes` random bytes (24–64). */
export function generateWebhookSecret(
  bytes: number = DEFAULT_SECRET_BYTES,
  random: (size: number) => Buffer = randomBytes,
): string {
  if (!Number.isInteger(bytes) || bytes < MIN_SECRET_BYTES || bytes > MAX_SECRET_BYTES) {
    throw new WebhookDeliveryError(
      'WEBHOOK_CONFIG_INVALID',
      `a webhook secret holds ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} random bytes, not ${bytes}`,
    );
  }
  return WEBHOOK_SECRET_PREFIX + random(bytes).toString('base64');
}

/** Whether `value` is a well-formed `whsec_` secret of an allowed length. */
export function isWebhookSecret(value: string): boolean {
  return secretKey(value) !== undefined;
}

function secretKey(secret: string): Buffer | undefined {
  if (typeof secret !== 'string' || !secret.startsWith(WEBHOOK_SECRET_PREFIX)) return undefined;
  const encoded = secret.slice(WEBHOOK_SECRET_PREFIX.length);
  if (!BASE64.test(encoded)) return undefined;
  const key = Buffer.from(encoded, 'base64');
  return key.length >= MIN_SECRET_BYTES && key.length <= MAX_SECRET_BYTES ? key : undefined;
}

/** The `webhook-signature` value: one `v1,<base64>` per secret, space-separated. */
export function signatureHeader(input: SignWebhookInput): string {
  const { id, body, secrets } = input;
  if (!MESSAGE_ID.test(id)) {
    throw new WebhookDeliveryError(
      'WEBHOOK_MESSAGE_INVALID',
      'a webhook message id is 1–256 letters, digits, "_" or "-"',
    );
  }
  if (secrets.length === 0) {
    throw new WebhookDeliveryError('WEBHOOK_SECRET_INVALID', 'a webhook is signed with at least one secret');
  }
  const signed = Buffer.concat([
    Buffer.from(`${id}.${unixSeconds(input.timestamp)}.`, 'utf8'),
    typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
  ]);
  return secrets
    .map((secret, index) => {
      const key = secretKey(secret);
      if (!key) {
        throw new WebhookDeliveryError(
          'WEBHOOK_SECRET_INVALID',
          `signing secret #${index + 1} is not "${WEBHOOK_SECRET_PREFIX}" + base64 of ${MIN_SECRET_BYTES}–${MAX_SECRET_BYTES} bytes`,
        );
      }
      return `v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
    })
    .join(' ');
}

/** The three Standard Webhooks headers of one attempt. */
export function signWebhook(input: SignWebhookInput): WebhookSignatureHeaders {
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(unixSeconds(input.timestamp)),
    'webhook-signature': signatureHeader(input),
  };
}

function unixSeconds(at: Date): number {
  const ms = at.getTime();
  if (!Number.isFinite(ms))
    throw new WebhookDeliveryError('WEBHOOK_MESSAGE_INVALID', 'the timestamp is not a date');
  return Math.floor(ms / 1000);
}
