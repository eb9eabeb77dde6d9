import { z } from 'zod';
import type { MessageState, WebhookAttemptLog, WebhookMessage } from '../../webhooks/deliveries.ts';
import { MAX_DELIVERY_PAGE } from '../../webhooks/deliveries.ts';
import { MAX_CUSTOM_HEADERS } from '../../webhooks/endpoint-headers.ts';
import { idParam, snake, workspaceParams } from './schemas.ts';

/** Request and response shapes of the webhook routes; JSON field names are snake_case. */

export const webhookParams = workspaceParams.extend({ webhookId: idParam('whk', 'webhook') });
export const messageParams = workspaceParams.extend({ messageId: idParam('msg', 'webhook message') });

/** The longest a rotated-out secret may keep signing beside the new one. */
const MAX_ROTATION_OVERLAP_SECONDS = 7 * 24 * 3600;

const MESSAGE_STATES = [
  'pending',
  'delivered',
  'dead',
  'aborted',
  'cancelled',
] as const satisfies readonly MessageState[];

// The scheme, the host and the addresses are the delivery policy's to judge (WEBHOOK_URL_INVALID,
// WEBHOOK_URL_FORBIDDEN); here only what no URL may hold.
const urlSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(2048, 'must be at most 2048 characters')
  .refine(
    (s) => ![...s].some((c) => (c.codePointAt(0) ?? 0) <= 0x20 || c === '\u007f'),
    'must not contain spaces or control characters',
  )
  .describe('where deliveries go: an http(s) URL reaching a public address');

const eventTypesSchema = z
  .array(z.string().min(1, 'must not be empty').max(100, 'must be at most 100 characters'))
  .min(1, 'must name at least one event type (or "*")')
  .max(50, 'must name at most 50 event types')
  .describe('event types (`record.created`), prefix wildcards (`record.*`), or `*` for every type');

const descriptionSchema = z
  .string()
  .max(500, 'must be at most 500 characters')
  // PostgreSQL text cannot hold NUL.
  .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters')
  .describe('for people: what the endpoint is for');

const headersSchema = z
  .record(z.string(), z.string())
  .refine(
    (headers) => Object.keys(headers).length <= MAX_CUSTOM_HEADERS,
    `must hold at most ${MAX_CUSTOM_HEADERS} headers`,
  )
  .describe(
    'custom headers sent with every delivery (an `Authorization` the receiver expects); their values are never shown again',
  );

export const createWebhookBody = z.object({
  url: urlSchema,
  event_types: eventTypesSchema,
  description: descriptionSchema.optional(),
  headers: headersSchema.optional(),
});

export const updateWebhookBody = z
  .object({
    url: urlSchema.optional(),
    event_types: eventTypesSchema.optional(),
    description: descriptionSchema.optional(),
    headers: headersSchema.optional().describe('replaces every custom header; `{}` removes them all'),
    enabled: z
      .boolean()
      .optional()
      .describe('false stops deliveries and cancels what waited; true turns the endpoint back on'),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    message: 'must change at least one of url, event_types, description, headers, enabled',
  });

export const rotateSecretBody = z
  .object({
    overlap_seconds: z
      .number()
      .int('must be a whole number of seconds')
      .min(0, 'must not be negative')
      .max(MAX_ROTATION_OVERLAP_SECONDS, `must be at most ${MAX_ROTATION_OVERLAP_SECONDS} (7 days)`)
      .optional()
      .describe('how long the previous secret keeps signing beside the new one; default 1 day'),
  })
  // No body at all is the defaults (Fastify gives a missing body as null).
  .nullish();

export const replayFailedBody = z.object({
  since: z.iso
    .datetime({ offset: true, message: 'must be an ISO date-time such as 2030-01-01T00:00:00Z' })
    .describe('replays dead and cancelled messages created at or after this instant'),
});

export const listMessagesQuery = z.object({
  state: z.enum(MESSAGE_STATES).optional(),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_DELIVERY_PAGE)
    .optional()
    .describe('messages per page (default 50)'),
  cursor: z.string().max(200).optional().describe('the `next_cursor` of the page before'),
});

export const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  event_types: z.array(z.string()),
  header_names: z.array(z.string()).describe('custom headers sent; never their values'),
  enabled: z.boolean(),
  disabled_reason: z
    .enum(['manual', 'gone', 'failing', 'refused'])
    .optional()
    .describe(
      'manual (someone disabled it), gone (it answered 410), failing (5 days of failures), refused (its URL is now refused)',
    ),
  failing_since: z.string().optional(),
  last_error: z.string().optional(),
  previous_secret_expires_at: z
    .string()
    .optional()
    .describe('until when the previous secret still signs, after a rotation'),
  created_at: z.string(),
  updated_at: z.string(),
});

export const webhookWithSecretSchema = webhookSchema.extend({
  secret: z.string().describe('the `whsec_…` signing secret: in this response only, store it now'),
});

export const messageSchema = z.object({
  id: z.string().describe('msg_…; the `webhook-id` header of every attempt'),
  endpoint_id: z.string(),
  event_id: z.string(),
  event_type: z.string(),
  state: z.enum(MESSAGE_STATES),
  attempt_count: z.number().describe('attempts made so far'),
  next_attempt_at: z.string().optional().describe('when pending'),
  last_status: z.number().optional().describe("the receiver's last HTTP status"),
  last_error: z.string().optional(),
  created_at: z.string(),
  finished_at: z.string().optional(),
});

export const attemptSchema = z.object({
  attempt: z.number(),
  at: z.string(),
  duration_ms: z.number(),
  status: z.number().optional(),
  outcome: z.enum(['success', 'retry', 'disable', 'abort']),
  error_code: z.string().optional(),
  response_headers: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
  response_body: z.string().optional().describe('the first 4 KiB of the answer'),
});

export const messageWithAttemptsSchema = messageSchema.extend({
  attempts: z.array(attemptSchema).describe('every attempt, oldest first'),
});

export const healthSchema = z.object({
  endpoint_id: z.string(),
  success_rate: z
    .number()
    .optional()
    .describe('successful attempts over all attempts in the last 24 h; absent when there were none'),
  attempts_last_day: z.number(),
  backlog: z.number().describe('messages waiting for an attempt'),
  dead_letters: z.number(),
  last_success_at: z.string().optional(),
  failing_since: z.string().optional(),
  last_error: z.string().optional(),
});

export const eventTypeSchema = z.object({
  type: z.string(),
  version: z.number(),
  description: z.string(),
  schema: z.record(z.string(), z.unknown()).describe('JSON Schema (draft 2020-12) of the whole event'),
});

/**
 * A message as the API shows it. The service's `attempts` (a count) is `attempt_count` here,
 * because `attempts` is the attempt log where a message is read on its own.
 */
export function messageJson(message: WebhookMessage): z.output<typeof messageSchema> {
  const { attempts, ...rest } = message;
  return { ...snake(rest), attempt_count: attempts };
}

export const attemptJson = (attempt: WebhookAttemptLog): z.output<typeof attemptSchema> => snake(attempt);
