import { z } from 'zod';
import { defineTool } from '../core/define-tool.ts';
import { platformAnnotations } from './shared.ts';
import { requireWebhooks } from './webhook-shared.ts';

export const listWebhookEventTypesTool = defineTool({
  name: 'list_webhook_event_types',
  title: 'List webhook event types',
  description:
    'The events a webhook can subscribe to (admins): type, what it means, the fields of its data. Pick create_webhook event_types from these, or use "prefix.*" (every type starting so) or "*".',
  inputSchema: z.object({}),
  outputSchema: z.object({
    event_types: z.array(
      z.object({ type: z.string(), description: z.string(), data_fields: z.array(z.string()) }),
    ),
  }),
  annotations: platformAnnotations('List webhook event types'),
  writes: false,
  platform: true,
  minimumRole: 'admin',
  async handler(_input, ctx) {
    const types = await requireWebhooks(ctx).eventTypes();
    return {
      event_types: types.map((t) => ({
        type: t.type,
        description: t.description,
        data_fields: [...t.dataFields],
      })),
    };
  },
  render: (out) =>
    out.event_types.map((t) => `${t.type}: ${t.description} {${t.data_fields.join(', ')}}`).join('\n'),
});
