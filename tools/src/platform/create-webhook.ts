import { z } from 'zod';
import { defineTool } from '../core/define-tool.ts';
import type { PlatformWebhookInput } from '../core/platform-port.ts';
import {
  descriptionInput,
  eventTypesInput,
  exportingAnnotations,
  headersInput,
  renderWebhook,
  requireWebhooks,
  urlInput,
  webhookJson,
  webhookOutput,
} from './webhook-shared.ts';

/** Said with the secret, in the output itself: a model reads `structuredContent` as often as the text. */
export const SECRET_NOTE =
  'Give this signing secret to the person now, to verify signatures (Standard Webhooks) on their receiver. It is shown only this once: do not repeat it in other messages, records or tool calls.';

export const createWebhookTool = defineTool({
  name: 'create_webhook',
  title: 'Create webhook',
  description:
    'Sends workspace events to a URL outside AirSuite (admins): each matching event is POSTed as signed JSON (Standard Webhooks), retried for days on failure. event_types: exact types (list_webhook_event_types), "prefix.*" such as "record.*", or "*". url: http(s) reaching a public address. headers: sent with every delivery; their values are never shown again. At most 50 endpoints per workspace. Returns the endpoint and its signing secret, once.',
  inputSchema: z.object({
    url: urlInput,
    event_types: eventTypesInput,
    description: descriptionInput.optional(),
    headers: headersInput.optional(),
  }),
  outputSchema: z.object({
    webhook: webhookOutput,
    secret: z.string().describe('whsec_…, shown only in this answer'),
    secret_note: z.string(),
  }),
  annotations: exportingAnnotations('Create webhook', false),
  writes: false,
  platform: true,
  minimumRole: 'admin',
  async handler(input, ctx) {
    const request: PlatformWebhookInput = { url: input.url, eventTypes: input.event_types };
    if (input.description !== undefined) request.description = input.description;
    if (input.headers !== undefined) request.headers = input.headers;
    const { webhook, secret } = await requireWebhooks(ctx).create(request, ctx.requestId);
    return { webhook: webhookJson(webhook), secret, secret_note: SECRET_NOTE };
  },
  render: (out) => `Created ${renderWebhook(out.webhook)}\nSigning secret: ${out.secret}\n${out.secret_note}`,
});
