import type {
  PlatformPlugin,
  PlatformPlugins,
  PlatformPort,
  PlatformWebhook,
  PlatformWebhookDelivery,
  PlatformWebhooks,
} from '@airsuite/tools';
import { ToolError } from '@airsuite/tools';
import { isPlatformError, type PlatformError, type PlatformErrorCode } from '../errors.ts';
import { checkedFunctionInput } from '../plugins/function-input.ts';
import type { PluginRegistry } from '../plugins/plugin-registry.ts';
import type { PluginInstallation } from '../plugins/plugin-rows.ts';
import type { PluginRuntime } from '../plugins/plugin-runtime.ts';
import { asToolError, minimumRoleOf, pluginToolName } from '../plugins/plugin-tools.ts';
import type { WorkspaceAccess } from '../principal.ts';
import type { WebhookMessage } from '../webhooks/deliveries.ts';
import type { WebhookEndpoint } from '../webhooks/endpoint-rows.ts';
import { describeEventTypes } from '../webhooks/events/catalogue.ts';
import type { WebhookServices } from '../webhooks/webhook-services.ts';
import type { AuditLog } from './audit-log.ts';
import type { Connections } from './connections.ts';
import type { Members } from './members.ts';
import { requireRole, type Workspaces } from './workspaces.ts';

export interface PlatformPortDeps {
  workspaces: Workspaces;
  members: Members;
  connections: Connections;
  audit: AuditLog;
  /** Webhook endpoints and their delivery log, for the webhook tools. */
  webhooks?: Pick<WebhookServices, 'endpoints' | 'deliveries'>;
  /** The workspace's installed plugins and their runtime, for the plugin tools. */
  plugins?: { registry: PluginRegistry; runtime: PluginRuntime };
}

/** What a model can do next, said after the platform's own message (which speaks of REST). */
const NEXT_STEP: Partial<Record<PlatformErrorCode, string>> = {
  WEBHOOK_NOT_FOUND: 'list_webhooks gives the ids',
  WEBHOOK_MESSAGE_NOT_FOUND: "list_webhook_deliveries gives an endpoint's delivery ids",
  PLUGIN_NOT_FOUND: 'list_plugins gives the installed names',
  PLUGIN_FUNCTION_NOT_FOUND: "list_plugins gives each plugin's functions",
};

function toolMessage(error: PlatformError): string {
  if (error.code === 'WEBHOOK_EVENT_TYPE_UNKNOWN' && Array.isArray(error.details?.unknown)) {
    const unknown = (error.details.unknown as unknown[]).map((t) => `"${String(t)}"`).join(', ');
    return `unknown event type ${unknown}; list_webhook_event_types lists them (or use "prefix.*" such as "record.*", or "*")`;
  }
  const next = NEXT_STEP[error.code];
  return next ? `${error.message}; ${next}` : error.message;
}

/**
 * Platform failures become tool errors a model can read; nothing else about them leaks. A
 * refusal by role is TOOL_NOT_ALLOWED, the database away TOOL_UNAVAILABLE; anything else (an
 * unknown id, a URL refused, the endpoint limit) is the call's to change: TOOL_INVALID_INPUT,
 * with the platform's code in `details.platformCode` for programs. There is no generic
 * not-found tool code (TOOL_NOT_FOUND is the platform's "no such tool"), and an unknown id is
 * input to change, as the next step in the message says.
 */
async function asTool<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isPlatformError(error)) {
      // The database being down is not the model's call to fix: it may try again later.
      if (error.code === 'DATABASE_UNAVAILABLE') throw new ToolError('TOOL_UNAVAILABLE', error.message);
      const code = error.code === 'FORBIDDEN' ? 'TOOL_NOT_ALLOWED' : 'TOOL_INVALID_INPUT';
      throw new ToolError(code, toolMessage(error), { platformCode: error.code });
    }
    throw error;
  }
}

/**
 * A plugin service's failure as the plugin's own tools report it (asToolError: PLUGIN_* codes,
 * the plugin's code in `details.plugin_code`), with the next step where there is one; the
 * rest (a role refused, input invalid, the database away) as every platform tool reports it.
 */
function asPluginTool<T>(work: () => Promise<T>): Promise<T> {
  return asTool(() =>
    work().catch((error: unknown) => {
      const mapped = asToolError(error);
      if (mapped === error || !isPlatformError(error)) throw mapped;
      const next = NEXT_STEP[error.code];
      const { code, message, details } = mapped as ToolError;
      throw next ? new ToolError(code, `${message}; ${next}`, details) : mapped;
    }),
  );
}

/** What a model needs of an installation; its config (settings, perhaps credentials) stays out. */
const pluginOf = (p: PluginInstallation): PlatformPlugin => ({
  name: p.name,
  version: p.version,
  description: p.manifest.description,
  status: p.status,
  ...(p.statusReason ? { statusReason: p.statusReason } : {}),
  functions: p.manifest.functions.map((fn) => ({
    name: fn.name,
    toolName: pluginToolName(p.name, fn.name),
    description: fn.description,
    readOnly: minimumRoleOf(fn) === 'viewer',
  })),
  hooks: (['before_write', 'on_event'] as const).filter((hook) => p.manifest.hooks[hook] !== undefined),
  installedAt: p.installedAt,
  updatedAt: p.updatedAt,
});

function pluginsFor(
  access: WorkspaceAccess,
  { registry, runtime }: NonNullable<PlatformPortDeps['plugins']>,
): PlatformPlugins {
  return {
    list: () => asPluginTool(async () => (await registry.list(access)).map(pluginOf)),
    install: (input, requestId) =>
      asPluginTool(async () => pluginOf(await registry.install(access, input, requestId))),
    setEnabled: (name, enabled, requestId) =>
      asPluginTool(async () => pluginOf(await registry.setEnabled(access, name, enabled, requestId))),
    run: (plugin, fn, input, options = {}) =>
      asPluginTool(async () => {
        const checked = await checkedFunctionInput(registry, access, plugin, fn, input);
        return runtime.call(access, plugin, fn, checked, options);
      }),
  };
}

/** Field by field: the endpoint as the service shows it already holds no secret or header value. */
const webhookOf = (e: WebhookEndpoint): PlatformWebhook => ({
  id: e.id,
  url: e.url,
  description: e.description,
  eventTypes: e.eventTypes,
  headerNames: e.headerNames,
  enabled: e.enabled,
  ...(e.disabledReason ? { disabledReason: e.disabledReason } : {}),
  ...(e.failingSince ? { failingSince: e.failingSince } : {}),
  ...(e.lastError ? { lastError: e.lastError } : {}),
  ...(e.previousSecretExpiresAt ? { previousSecretExpiresAt: e.previousSecretExpiresAt } : {}),
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
});

const deliveryOf = ({ endpointId, ...message }: WebhookMessage): PlatformWebhookDelivery => ({
  ...message,
  webhookId: endpointId,
});

/** The event catalogue as a model picks from it: the data's field names, not the whole JSON Schema. */
function eventTypes() {
  return describeEventTypes().map(({ type, description, schema }) => {
    const data = (schema.properties as Record<string, { properties?: Record<string, unknown> }> | undefined)
      ?.data;
    return { type, description, dataFields: Object.keys(data?.properties ?? {}) };
  });
}

function webhooksFor(
  access: WorkspaceAccess,
  { endpoints, deliveries }: NonNullable<PlatformPortDeps['webhooks']>,
): PlatformWebhooks {
  return {
    list: () => asTool(async () => (await endpoints.list(access)).map(webhookOf)),
    create: (input, requestId) =>
      asTool(async () => {
        const { endpoint, secret } = await endpoints.create(access, input, requestId);
        return { webhook: webhookOf(endpoint), secret };
      }),
    update: (id, patch, requestId) =>
      asTool(async () => webhookOf(await endpoints.update(access, id, patch, requestId))),
    remove: (id, requestId) => asTool(() => endpoints.remove(access, id, requestId)),
    deliveries: (webhookId, query) =>
      asTool(async () => {
        const page = await deliveries.list(access, webhookId, query);
        return {
          deliveries: page.messages.map(deliveryOf),
          ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
        };
      }),
    replay: (deliveryId, requestId) =>
      asTool(async () => deliveryOf(await deliveries.replay(access, deliveryId, requestId))),
    sendTest: (webhookId, requestId) =>
      asTool(async () => {
        const sent = await deliveries.sendTest(access, webhookId, requestId);
        return { eventId: sent.id, queued: sent.messages };
      }),
    eventTypes: async () => eventTypes(),
  };
}

/** The platform as the platform tools see it: bound to one caller in one workspace. */
export function platformPortFor(access: WorkspaceAccess, deps: PlatformPortDeps): PlatformPort {
  const { principal } = access;
  return {
    async whoami() {
      return {
        ...(principal.kind === 'user'
          ? {
              user: {
                id: principal.userId,
                email: principal.email,
                ...(principal.name ? { name: principal.name } : {}),
              },
            }
          : { apiKey: { id: principal.keyId, name: principal.keyName } }),
        workspace: { id: access.workspaceId, name: access.workspaceName },
        role: access.role,
        authenticatedWith: principal.kind === 'user' ? 'access_token' : 'api_key',
      };
    },
    listWorkspaces: () =>
      asTool(async () =>
        (await deps.workspaces.list(principal)).map((w) => ({
          id: w.id,
          name: w.name,
          role: w.role,
          createdAt: w.createdAt,
        })),
      ),
    listMembers: () => asTool(() => deps.members.list(access)),
    listConnections: () =>
      asTool(async () =>
        (await deps.connections.list(access)).map((c) => ({
          id: c.id,
          name: c.name,
          tokenHint: c.tokenHint,
          ...(c.bases ? { bases: c.bases } : {}),
          createdAt: c.createdAt,
          isDefault: c.isDefault,
        })),
      ),
    listAuditEvents: (query) =>
      asTool(async () => {
        requireRole(access, 'admin', 'reading the audit log');
        return deps.audit.list(access.workspaceId, query);
      }),
    ...(deps.webhooks ? { webhooks: webhooksFor(access, deps.webhooks) } : {}),
    ...(deps.plugins ? { plugins: pluginsFor(access, deps.plugins) } : {}),
  };
}
