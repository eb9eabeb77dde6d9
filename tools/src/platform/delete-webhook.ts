import { z } from 'zod';
import { defineTool } from '../core/define-tool.ts';
import { requireWebhooks, webhookIdInput } from './webhook-shared.ts';

export const deleteWebhookTool = defineTool({
  name: 'delete_webhook',
  title: 'Delete webhook',
  description:
    'Deletes a webhook endpoint and its delivery log (admins; irreversible): nothing more is sent to it. To pause instead, update_webhook with enabled: false.',
  inputSchema: z.object({ webhook_id: webhookIdInput }),
  outputSchema: z.object({ deleted: z.string() }),
  annotations: {
    title: 'Delete webhook',
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: true,
    openWorldHint: false,
  },
  writes: false,
  platform: true,
  minimumRole: 'admin',
  async handler(input, ctx) {
    await requireWebhooks(ctx).remove(input.webhook_id, ctx.requestId);
    return { deleted: input.webhook_id };
  },
  render: (out) => `Deleted webhook ${out.deleted}.`,
});
