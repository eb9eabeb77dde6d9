import { z } from 'zod';
import { defineTool } from '../core/define-tool.ts';
import {
  deliveringAnnotations,
  deliveryJson,
  deliveryOutput,
  renderDelivery,
  requireWebhooks,
} from './webhook-shared.ts';

export const replayWebhookDeliveryTool = defineTool({
  name: 'replay_webhook_delivery',
  title: 'Replay webhook delivery',
  description:
    'Sends one delivery again now, with a fresh retry schedule (admins): a dead, aborted, cancelled or delivered one; a pending one is already on its way. The endpoint must be enabled. Check the outcome with list_webhook_deliveries.',
  inputSchema: z.object({
    delivery_id: z.string().min(1).max(100).describe('msg_… from list_webhook_deliveries'),
  }),
  outputSchema: z.object({ delivery: deliveryOutput }),
  annotations: deliveringAnnotations('Replay webhook delivery'),
  writes: false,
  platform: true,
  minimumRole: 'admin',
  async handler(input, ctx) {
    const delivery = await requireWebhooks(ctx).replay(input.delivery_id, ctx.requestId);
    return { delivery: deliveryJson(delivery) };
  },
  render: (out) => `Replaying ${renderDelivery(out.delivery)}`,
});
