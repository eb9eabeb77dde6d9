import { z } from 'zod';
import { defineTool } from '../core/define-tool.ts';
import type { PlatformDeliveryQuery } from '../core/platform-port.ts';
import { platformAnnotations } from './shared.ts';
import {
  deliveryJson,
  deliveryOutput,
  deliveryState,
  renderDelivery,
  requireWebhooks,
  webhookIdInput,
} from './webhook-shared.ts';

export const DEFAULT_DELIVERY_LIMIT = 25;
export const MAX_DELIVERY_LIMIT = 100;

export const listWebhookDeliveriesTool = defineTool({
  name: 'list_webhook_deliveries',
  title: 'List webhook deliveries',
  description:
    'Deliveries of one webhook endpoint, newest first (admins): event, state (pending: tried again at next_attempt_at; delivered; dead: every retry failed; aborted; cancelled: endpoint turned off), attempt_count, last HTTP status and error. replay_webhook_delivery resends one. If next_cursor, call again with cursor.',
  inputSchema: z.object({
    webhook_id: webhookIdInput,
    state: deliveryState.optional(),
    limit: z.number().int().min(1).max(MAX_DELIVERY_LIMIT).default(DEFAULT_DELIVERY_LIMIT),
    cursor: z.string().max(200).optional().describe('next_cursor of the previous call, same filters'),
  }),
  outputSchema: z.object({
    deliveries: z.array(deliveryOutput),
    next_cursor: z.string().optional(),
  }),
  annotations: platformAnnotations('List webhook deliveries'),
  writes: false,
  platform: true,
  minimumRole: 'admin',
  async handler(input, ctx) {
    const query: PlatformDeliveryQuery = { limit: input.limit };
    if (input.state !== undefined) query.state = input.state;
    if (input.cursor !== undefined) query.cursor = input.cursor;
    const page = await requireWebhooks(ctx).deliveries(input.webhook_id, query);
    return {
      deliveries: page.deliveries.map(deliveryJson),
      ...(page.nextCursor === undefined ? {} : { next_cursor: page.nextCursor }),
    };
  },
  render(out) {
    if (out.deliveries.length === 0) return 'No deliveries.';
    const lines = out.deliveries.map(renderDelivery);
    if (out.next_cursor !== undefined) lines.push(`More: cursor ${out.next_cursor}`);
    return lines.join('\n');
  },
});
