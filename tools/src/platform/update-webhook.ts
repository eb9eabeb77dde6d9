import { z } from 'zod';
import { defineTool } from '../core/define-tool.ts';
import type { PlatformWebhookPatch } from '../core/platform-port.ts';
import { ToolError } from '../core/tool-error.ts';
import {
  descriptionInput,
  eventTypesInput,
  exportingAnnotations,
  headersInput,
  renderWebhook,
  requireWebhooks,
  urlInput,
  webhookIdInput,
  webhookJson,
  webhookOutput,
} from './webhook-shared.ts';

export const updateWebhookTool = defineTool({
  name: 'update_webhook',
  title: 'Update webhook',
  description:
    'Changes a webhook endpoint (admins); only what is given changes. headers replaces every custom header ({} removes them). enabled: false stops deliveries and cancels those waiting; true turns an endpoint back on (also one the platform turned off). Same url and event_types rules as create_webhook. Returns the endpoint.',
  inputSchema: z.object({
    webhook_id: webhookIdInput,
    url: urlInput.optional(),
    event_types: eventTypesInput.optional(),
    description: descriptionInput.optional(),
    headers: headersInput.optional(),
    enabled: z.boolean().optional(),
  }),
  outputSchema: z.object({ webhook: webhookOutput }),
  annotations: exportingAnnotations('Update webhook', true),
  writes: false,
  platform: true,
  minimumRole: 'admin',
  async handler(input, ctx) {
    const patch: PlatformWebhookPatch = {};
    if (input.url !== undefined) patch.url = input.url;
    if (input.event_types !== undefined) patch.eventTypes = input.event_types;
    if (input.description !== undefined) patch.description = input.description;
    if (input.headers !== undefined) patch.headers = input.headers;
    if (input.enabled !== undefined) patch.enabled = input.enabled;
    if (Object.keys(patch).length === 0) {
      throw new ToolError(
        'TOOL_INVALID_INPUT',
        'give at least one of url, event_types, description, headers, enabled to change.',
      );
    }
    const webhook = await requireWebhooks(ctx).update(input.webhook_id, patch, ctx.requestId);
    return { webhook: webhookJson(webhook) };
  },
  render: (out) => `Updated ${renderWebhook(out.webhook)}`,
});
