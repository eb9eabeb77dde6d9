import { z } from 'zod';
import { defineTool } from '../core/define-tool.ts';
import { deliveringAnnotations, requireWebhooks, webhookIdInput } from './webhook-shared.ts';

export const sendTestWebhookTool = defineTool({
  name: 'send_test_webhook',
  title: 'Send test webhook',
  description:
    'Queues a webhook.test event (nothing changed) to one enabled endpoint, whatever its event_types (admins), to check the receiver gets and verifies it. Delivered within seconds; then list_webhook_deliveries shows the outcome.',
  inputSchema: z.object({ webhook_id: webhookIdInput }),
  outputSchema: z.object({
    event_id: z.string(),
    queued: z.number().describe('deliveries queued: 1, or 0 if the endpoint was turned off meanwhile'),
  }),
  annotations: deliveringAnnotations('Send test webhook'),
  writes: false,
  platform: true,
  minimumRole: 'admin',
  async handler(input, ctx) {
    const sent = await requireWebhooks(ctx).sendTest(input.webhook_id, ctx.requestId);
    return { event_id: sent.eventId, queued: sent.queued };
  },
  render: (out) =>
    out.queued > 0
      ? `Test event ${out.event_id} queued; check list_webhook_deliveries in a few seconds.`
      : `Test event ${out.event_id} was not queued: the endpoint is off.`,
});
