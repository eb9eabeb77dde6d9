import { z } from 'zod';
import type { ToolAnnotations } from '../core/define-tool.ts';
import type { PlatformWebhook, PlatformWebhookDelivery, PlatformWebhooks } from '../core/platform-port.ts';
import type { ToolContext } from '../core/tool-context.ts';
import { ToolError } from '../core/tool-error.ts';
import { requirePlatform } from './shared.ts';

/** The caller's webhooks, or TOOL_UNAVAILABLE where the platform runs without them. */
export function requireWebhooks(ctx: ToolContext): PlatformWebhooks {
  const { webhooks } = requirePlatform(ctx);
  if (!webhooks) {
    throw new ToolError('TOOL_UNAVAILABLE', 'webhooks are not available in this AirSuite deployment.');
  }
  return webhooks;
}

/**
 * A webhook tool that sends workspace data to a URL outside AirSuite (create, update): a
 * client should ask the person first, so it says it is destructive and reaches the open world.
 */
export const exportingAnnotations = (title: string, idempotent: boolean): ToolAnnotations => ({
  title,
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: idempotent,
  openWorldHint: true,
});

/** Sends one more delivery to an endpoint already set up (replay, test): nothing is lost or changed. */
export const deliveringAnnotations = (title: string): ToolAnnotations => ({
  title,
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: true,
});

// Bounds as the REST API's; the URL's scheme and addresses are the platform's to judge.
export const webhookIdInput = z.string().min(1).max(100).describe('whk_… from list_webhooks');
export const urlInput = z
  .string()
  .min(1)
  .max(2048)
  .describe('http(s) URL reaching a public address; deliveries are POSTed there');
export const eventTypesInput = z
  .array(z.string().min(1).max(100))
  .min(1)
  .max(50)
  .describe('e.g. ["record.created"], ["record.*", "member.*"] or ["*"]');
export const descriptionInput = z.string().max(500).describe('for people: what it is for');
export const headersInput = z
  .record(z.string(), z.string())
  .describe('custom headers sent with every delivery (max 20), e.g. an Authorization the receiver expects');

const disabledReason = z.enum(['manual', 'gone', 'failing', 'refused']);

export const webhookOutput = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string().optional(),
  event_types: z.array(z.string()),
  header_names: z.array(z.string()),
  enabled: z.boolean(),
  disabled_reason: disabledReason.optional(),
  failing_since: z.string().optional(),
  last_error: z.string().optional(),
  previous_secret_expires_at: z.string().optional(),
  created_at: z.string(),
  updated_at: z.string(),
});

export type WebhookOutput = z.output<typeof webhookOutput>;

/** Field by field, so nothing the port might carry beyond these (a secret, header values) slips through. */
export function webhookJson(w: PlatformWebhook): WebhookOutput {
  return {
    id: w.id,
    url: w.url,
    ...(w.description ? { description: w.description } : {}),
    event_types: [...w.eventTypes],
    header_names: [...w.headerNames],
    enabled: w.enabled,
    ...(w.disabledReason ? { disabled_reason: w.disabledReason } : {}),
    ...(w.failingSince ? { failing_since: w.failingSince } : {}),
    ...(w.lastError ? { last_error: w.lastError } : {}),
    ...(w.previousSecretExpiresAt ? { previous_secret_expires_at: w.previousSecretExpiresAt } : {}),
    created_at: w.createdAt,
    updated_at: w.updatedAt,
  };
}

/** One line: `whk_1 https://… [record.*] on`, or off with its reason and last error. */
export function renderWebhook(w: WebhookOutput): string {
  const state = w.enabled
    ? 'on'
    : `off (${w.disabled_reason ?? 'manual'}${w.last_error ? `: ${w.last_error}` : ''})`;
  const headers = w.header_names.length > 0 ? ` headers: ${w.header_names.join(', ')}` : '';
  const about = w.description ? ` "${w.description}"` : '';
  return `${w.id} ${w.url} [${w.event_types.join(', ')}] ${state}${headers}${about}`;
}

export const deliveryState = z.enum(['pending', 'delivered', 'dead', 'aborted', 'cancelled']);

export const deliveryOutput = z.object({
  id: z.string(),
  event_id: z.string(),
  event_type: z.string(),
  state: deliveryState,
  attempt_count: z.number(),
  next_attempt_at: z.string().optional(),
  last_status: z.number().optional(),
  last_error: z.string().optional(),
  created_at: z.string(),
  finished_at: z.string().optional(),
});

export type DeliveryOutput = z.output<typeof deliveryOutput>;

export function deliveryJson(d: PlatformWebhookDelivery): DeliveryOutput {
  return {
    id: d.id,
    event_id: d.eventId,
    event_type: d.eventType,
    state: d.state,
    attempt_count: d.attempts,
    ...(d.nextAttemptAt ? { next_attempt_at: d.nextAttemptAt } : {}),
    ...(d.lastStatus === undefined ? {} : { last_status: d.lastStatus }),
    ...(d.lastError ? { last_error: d.lastError } : {}),
    created_at: d.createdAt,
    ...(d.finishedAt ? { finished_at: d.finishedAt } : {}),
  };
}

/** `msg_1 record.created delivered after 1 attempt (HTTP 200)`, with the next try when pending. */
export function renderDelivery(d: DeliveryOutput): string {
  const attempts = `${d.attempt_count} attempt${d.attempt_count === 1 ? '' : 's'}`;
  const status = d.last_status === undefined ? '' : ` HTTP ${d.last_status}`;
  const error = d.last_error ? ` ${d.last_error}` : '';
  const next = d.next_attempt_at ? `, next ${d.next_attempt_at}` : '';
  return `${d.id} ${d.event_type} ${d.created_at}: ${d.state} after ${attempts}${status}${error}${next}`;
}
