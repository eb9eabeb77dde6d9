import type { ToolDefinition } from './core/define-tool.ts';
import { createWebhookTool } from './platform/create-webhook.ts';
import { deleteWebhookTool } from './platform/delete-webhook.ts';
import { installPluginTool } from './platform/install-plugin.ts';
import { listAuditEventsTool } from './platform/list-audit-events.ts';
import { listConnectionsTool } from './platform/list-connections.ts';
import { listMembersTool } from './platform/list-members.ts';
import { listPluginsTool } from './platform/list-plugins.ts';
import { listWebhookDeliveriesTool } from './platform/list-webhook-deliveries.ts';
import { listWebhookEventTypesTool } from './platform/list-webhook-event-types.ts';
import { listWebhooksTool } from './platform/list-webhooks.ts';
import { listWorkspacesTool } from './platform/list-workspaces.ts';
import { replayWebhookDeliveryTool } from './platform/replay-webhook-delivery.ts';
import { runPluginFunctionTool } from './platform/run-plugin-function.ts';
import { sendTestWebhookTool } from './platform/send-test-webhook.ts';
import { setPluginEnabledTool } from './platform/set-plugin-enabled.ts';
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
 * The workspace's installed plugins: any member lists them and runs their functions (the
 * function's own role decides), admins and owners install and enable them.
 */
export const pluginAdminTools: readonly ToolDefinition[] = [
  listPluginsTool,
  installPluginTool,
  setPluginEnabledTool,
  runPluginFunctionTool,
];

/**
 * Tools about the caller's AirSuite account: listed only where the platform serves the
 * catalogue. They change the platform at most (webhooks, plugins), never Airtable directly (`writes: false`).
 */
export const platformTools: readonly ToolDefinition[] = [
  whoamiTool,
  listWorkspacesTool,
  listMembersTool,
  listConnectionsTool,
  listAuditEventsTool,
  ...webhookTools,
  ...pluginAdminTools,
];
