import { randomBytes } from 'node:crypto';
import type { AirtableGateway } from '@airsuite/airtable-gateway';
import { expect } from 'vitest';
import type { ToolDefinition } from '../core/define-tool.ts';
import type {
  PlatformPort,
  PlatformWebhook,
  PlatformWebhookDelivery,
  PlatformWebhooks,
} from '../core/platform-port.ts';
import { runTool } from '../core/run-tool.ts';
import type { ToolContext } from '../core/tool-context.ts';
import { createWebhookTool } from './create-webhook.ts';
import { deleteWebhookTool } from './delete-webhook.ts';
import { listWebhookDeliveriesTool } from './list-webhook-deliveries.ts';
import { listWebhookEventTypesTool } from './list-webhook-event-types.ts';
import { listWebhooksTool } from './list-webhooks.ts';
import { replayWebhookDeliveryTool } from './replay-webhook-delivery.ts';
import { sendTestWebhookTool } from './send-test-webhook.ts';
import { updateWebhookTool } from './update-webhook.ts';

/** Test support for the webhook tools' specs: a fake port, sample endpoints and deliveries, one call of each tool. */
// Made per run: no secret-shaped literal in the tree.
export const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
export const HEADER_VALUE = 'Bearer receiver-credential-123';

/** An endpoint as a careless port might hand it over: with its secret and header values. */
export const leakyWebhook = {
  id: 'whk_1',
  url: 'https://hooks.example.com/airsuite',
  description: 'CRM sync',
  eventTypes: ['record.*'],
  headerNames: ['Authorization'],
  enabled: true,
  createdAt: '2025-03-01T00:00:00.000Z',
  updatedAt: '2025-03-01T00:00:00.000Z',
  secret: SECRET,
  headers: { Authorization: HEADER_VALUE },
} as PlatformWebhook;

export const offWebhook: PlatformWebhook = {
  id: 'whk_2',
  url: 'http://old.example.com/x',
  description: '',
  eventTypes: ['*'],
  headerNames: [],
  enabled: false,
  disabledReason: 'gone',
  lastError: 'HTTP 410',
  createdAt: '2025-03-02T00:00:00.000Z',
  updatedAt: '2025-03-03T00:00:00.000Z',
};

export const dead: PlatformWebhookDelivery = {
  id: 'msg_1',
  webhookId: 'whk_1',
  eventId: 'evt_1',
  eventType: 'record.created',
  state: 'dead',
  attempts: 8,
  lastStatus: 500,
  lastError: 'HTTP 500',
  createdAt: '2025-03-01T10:00:00.000Z',
  finishedAt: '2025-03-04T10:00:00.000Z',
};

export const pending: PlatformWebhookDelivery = {
  id: 'msg_2',
  webhookId: 'whk_1',
  eventId: 'evt_2',
  eventType: 'webhook.test',
  state: 'pending',
  attempts: 1,
  nextAttemptAt: '2025-03-05T10:00:05.000Z',
  createdAt: '2025-03-05T10:00:00.000Z',
};

export type Calls = { method: keyof PlatformWebhooks; args: unknown[] }[];

/** A fixed-data webhooks port that records each call; the real one is specced in platform-api. */
export function fakeWebhooks(overrides: Partial<PlatformWebhooks> = {}): PlatformWebhooks & { calls: Calls } {
  const calls: Calls = [];
  const record =
    <A extends unknown[], R>(method: keyof PlatformWebhooks, answer: (...args: A) => R) =>
    async (...args: A) => {
      calls.push({ method, args });
      return answer(...args);
    };
  return {
    calls,
    list: record('list', () => [leakyWebhook, offWebhook]),
    create: record('create', () => ({ webhook: leakyWebhook, secret: SECRET })),
    update: record('update', () => offWebhook),
    remove: record('remove', () => undefined),
    deliveries: record('deliveries', () => ({ deliveries: [pending, dead], nextCursor: 'c2' })),
    replay: record('replay', () => ({ ...dead, state: 'pending' as const, nextAttemptAt: dead.finishedAt })),
    sendTest: record('sendTest', () => ({ eventId: 'evt_9', queued: 1 })),
    eventTypes: record('eventTypes', () => [
      {
        type: 'record.created',
        description: 'A record was created',
        dataFields: ['base_id', 'table_id', 'record'],
      },
      { type: 'webhook.test', description: 'Sent by send_test_webhook', dataFields: ['message'] },
    ]),
    ...overrides,
  };
}

export function portWith(webhooks?: PlatformWebhooks): PlatformPort {
  const unused = async () => {
    throw new Error('not used by the webhook tools');
  };
  return {
    whoami: unused,
    listWorkspaces: unused,
    listMembers: unused,
    listConnections: unused,
    listAuditEvents: unused,
    ...(webhooks ? { webhooks } : {}),
  };
}

export function context(platform: PlatformPort | undefined, role: 'editor' | 'admin' = 'admin'): ToolContext {
  return {
    airtable: new Proxy({} as AirtableGateway, {
      get() {
        throw new Error('webhook tools must not touch Airtable');
      },
    }),
    caller: { id: 'usr_1', role, workspaceId: 'ws_1' },
    ...(platform ? { platform } : {}),
    policy: { readOnly: false },
    progress: () => {},
    signal: new AbortController().signal,
    requestId: 'req_1',
    log: () => {},
  };
}

export const WEBHOOK_TOOLS: readonly ToolDefinition[] = [
  listWebhookEventTypesTool,
  listWebhooksTool,
  createWebhookTool,
  updateWebhookTool,
  deleteWebhookTool,
  listWebhookDeliveriesTool,
  replayWebhookDeliveryTool,
  sendTestWebhookTool,
];

/** A valid call of each tool. */
export const VALID_INPUT: Record<string, Record<string, unknown>> = {
  list_webhook_event_types: {},
  list_webhooks: {},
  create_webhook: { url: 'https://hooks.example.com/a', event_types: ['*'] },
  update_webhook: { webhook_id: 'whk_1', enabled: false },
  delete_webhook: { webhook_id: 'whk_1' },
  list_webhook_deliveries: { webhook_id: 'whk_1' },
  replay_webhook_delivery: { delivery_id: 'msg_1' },
  send_test_webhook: { webhook_id: 'whk_1' },
};

export async function ok(name: string, input: unknown, webhooks: PlatformWebhooks = fakeWebhooks()) {
  const tool = WEBHOOK_TOOLS.find((t) => t.name === name)!;
  const outcome = await runTool(tool, input, context(portWith(webhooks)));
  if (!outcome.ok) throw new Error(`${name} failed: ${outcome.code} ${outcome.message}`);
  expect(tool.outputSchema.safeParse(outcome.output).success).toBe(true);
  return outcome;
}
