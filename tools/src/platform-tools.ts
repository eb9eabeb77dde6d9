import type { ToolDefinition } from './core/define-tool.ts';
import { createWebhookTool } from './platform/create-webhook.ts';
import { deleteWebhookTool } from './platform/delete-webhook.ts';
import { listAuditEventsTool } from './platform/list-audit-events.ts';
import { listConnectionsTool } from './platform/list-connections.ts';
import { listMembersTool } from './platform/list-members.ts';
import { listWebhookDeliveriesTool } from './platform/list-webhook-deliveries.ts';
import { listWebhookEventTypesTool } from './platform/list-webhook-event-types.ts';
import { listWebhooksTool } from './platform/list-webhooks.ts';
import { listWorkspacesTool } from './platform/list-workspaces.ts';
import { replayWebhookDeliveryTool } from './platform/replay-webhook-delivery.ts';
import { sendTestWebhookTool } from './platform/send-test-webhook.ts';
import { updateWebhookTool } from './platform/update-webhook.ts';
import { whoamiTool } from './platform/whoami.ts';

/** The workspace's webhook endpoints and their deliveries: admins and owners only. */
export const webhookTools: readonly ToolDefinition[] = [
  listWebhookEventTypesTool,
  listWebhooksTool,
  createWebhookTool,
  updateWebhookTool,
  deleteWebhookTool,
  listWebhookDeliveriesTool,
  replayWebhookDeliveryTool,
  sendTestWebhookTool,
];

/**
 * Tools about the caller's AirSuite account: listed only where the platform serves the
 * catalogue. They change the platform at most (webhooks), never Airtable (`writes: false`).
 */
export const platformTools: readonly ToolDefinition[] = [
  whoamiTool,
  listWorkspacesTool,
  listMembersTool,
  listConnectionsTool,
  listAuditEventsTool,
  ...webhookTools,
];
