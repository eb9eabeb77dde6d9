import { z } from 'zod';
import { defineTool } from '../core/define-tool.ts';
import { platformAnnotations } from './shared.ts';
import { renderWebhook, requireWebhooks, webhookJson, webhookOutput } from './webhook-shared.ts';

export const listWebhooksTool = defineTool({
  name: 'list_webhooks',
  title: 'List webhooks',
  description:
    'Webhook endpoints of the current AirSuite workspace (admins): id, url, event_types, custom header names (never values, never the secret), enabled. An endpoint off says why: manual, gone (answered 410), failing (5 days of failures), refused (URL now refused), with last_error.',
  inputSchema: z.object({}),
  outputSchema: z.object({ webhooks: z.array(webhookOutput) }),
  annotations: platformAnnotations('List webhooks'),
  writes: false,
  platform: true,
  minimumRole: 'admin',
  async handler(_input, ctx) {
    const webhooks = await requireWebhooks(ctx).list();
    return { webhooks: webhooks.map(webhookJson) };
  },
  render: (out) => (out.webhooks.length === 0 ? 'No webhooks.' : out.webhooks.map(renderWebhook).join('\n')),
});
