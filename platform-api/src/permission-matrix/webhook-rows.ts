import { expect } from 'vitest';
import {
  adminsOnly,
  createWebhook,
  type Row,
  rig,
  WEBHOOK_URL,
  webhookOf,
} from '../testing/permission-matrix-kit.ts';

/** Rows of the permission matrix: Webhook endpoints and their messages. */
export const webhookRows: Row[] = [
  {
    name: 'POST /webhooks',
    expect: adminsOnly(201),
    request: async (ws) => ({
      method: 'POST',
      url: `/v1/workspaces/${ws}/webhooks`,
      body: { url: WEBHOOK_URL, event_types: ['webhook.test'] },
    }),
  },
  {
    name: 'GET /webhooks',
    expect: adminsOnly(200),
    request: async (ws) => ({ method: 'GET', url: `/v1/workspaces/${ws}/webhooks` }),
  },
  {
    name: 'GET /webhooks/{webhookId}',
    expect: adminsOnly(200),
    request: async (ws) => ({
      method: 'GET',
      url: `/v1/workspaces/${ws}/webhooks/${(await webhookOf(ws)).id}`,
    }),
  },
  {
    name: 'PATCH /webhooks/{webhookId}',
    expect: adminsOnly(200),
    request: async (ws) => ({
      method: 'PATCH',
      url: `/v1/workspaces/${ws}/webhooks/${(await webhookOf(ws)).id}`,
      body: { description: 'matrix' },
    }),
  },
  {
    name: 'DELETE /webhooks/{webhookId}',
    expect: adminsOnly(204),
    async request(ws) {
      const id = await createWebhook(ws);
      return {
        method: 'DELETE',
        url: `/v1/workspaces/${ws}/webhooks/${id}`,
        async afterwards(allowed) {
          const rows = await rig.db().query('SELECT id FROM webhook_endpoints WHERE id = $1', [id]);
          expect(rows).toHaveLength(allowed ? 0 : 1);
        },
      };
    },
  },
  {
    name: 'POST /webhooks/{webhookId}/rotate-secret',
    expect: adminsOnly(200),
    request: async (ws) => ({
      method: 'POST',
      url: `/v1/workspaces/${ws}/webhooks/${(await webhookOf(ws)).id}/rotate-secret`,
      body: { overlap_seconds: 60 },
    }),
  },
  {
    name: 'POST /webhooks/{webhookId}/test',
    expect: adminsOnly(202),
    request: async (ws) => ({
      method: 'POST',
      url: `/v1/workspaces/${ws}/webhooks/${(await webhookOf(ws)).id}/test`,
    }),
  },
  {
    name: 'GET /webhooks/{webhookId}/messages',
    expect: adminsOnly(200),
    request: async (ws) => ({
      method: 'GET',
      url: `/v1/workspaces/${ws}/webhooks/${(await webhookOf(ws)).id}/messages`,
    }),
  },
  {
    name: 'GET /webhooks/{webhookId}/health',
    expect: adminsOnly(200),
    request: async (ws) => ({
      method: 'GET',
      url: `/v1/workspaces/${ws}/webhooks/${(await webhookOf(ws)).id}/health`,
    }),
  },
  {
    name: 'POST /webhooks/{webhookId}/replay',
    expect: adminsOnly(200),
    request: async (ws) => ({
      method: 'POST',
      url: `/v1/workspaces/${ws}/webhooks/${(await webhookOf(ws)).id}/replay`,
      body: { since: '2020-01-01T00:00:00Z' },
    }),
  },
  {
    name: 'GET /webhook-messages/{messageId}',
    expect: adminsOnly(200),
    request: async (ws) => ({
      method: 'GET',
      url: `/v1/workspaces/${ws}/webhook-messages/${(await webhookOf(ws)).messageId}`,
    }),
  },
  {
    name: 'POST /webhook-messages/{messageId}/replay',
    expect: adminsOnly(200),
    request: async (ws) => ({
      method: 'POST',
      url: `/v1/workspaces/${ws}/webhook-messages/${(await webhookOf(ws)).messageId}/replay`,
    }),
  },
];
