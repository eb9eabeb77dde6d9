/**
 * What the platform tells tools about the caller's account. The platform implements it,
 * already scoped to one caller and one workspace, so a tool can never name another tenant.
 * Methods throw ToolError (TOOL_NOT_ALLOWED when the caller's role may not see something).
 */
export interface PlatformPort {
  whoami(): Promise<PlatformIdentity>;
  /** Workspaces the calling user belongs to (an API key sees only its own). */
  listWorkspaces(): Promise<PlatformWorkspace[]>;
  /** Members of the current workspace. */
  listMembers(): Promise<PlatformMember[]>;
  /** Airtable connections of the current workspace; tokens are never included, only a masked hint. */
  listConnections(): Promise<PlatformConnection[]>;
  /** Newest first; `cursor` is the previous page's `nextCursor`. Admins and owners only. */
  listAuditEvents(query: PlatformAuditQuery): Promise<{ events: PlatformAuditEvent[]; nextCursor?: string }>;
  /** The workspace's webhook endpoints and their deliveries (admins and owners); absent where the platform has no webhooks. */
  webhooks?: PlatformWebhooks;
  /** The workspace's installed plugins; absent where the platform runs without plugins. */
  plugins?: PlatformPlugins;
}

/**
 * Installed plugins of the current workspace. Roles are the platform's to check: any member
 * lists and runs read-only functions, editors run the rest, admins and owners install and
 * enable. Publishing a module is not here: it goes over REST or the CLI.
 */
export interface PlatformPlugins {
  list(): Promise<PlatformPlugin[]>;
  /** Installs a published version, enabled. */
  install(input: PlatformPluginInstall, requestId?: string): Promise<PlatformPlugin>;
  /** `true` also lifts a quarantine, its fault count reset. */
  setEnabled(name: string, enabled: boolean, requestId?: string): Promise<PlatformPlugin>;
  /** Runs one of the plugin's declared functions with `input` checked against its input schema. */
  run(
    plugin: string,
    fn: string,
    input: Record<string, unknown>,
    options?: { signal?: AbortSignal; requestId?: string },
  ): Promise<unknown>;
}

export interface PlatformPluginInstall {
  name: string;
  version: string;
  config?: Record<string, string>;
}

export interface PlatformPlugin {
  name: string;
  version: string;
  description: string;
  status: 'enabled' | 'disabled' | 'quarantined';
  /** Why it is quarantined (its last faults). */
  statusReason?: string;
  functions: PlatformPluginFunction[];
  /** The hooks it implements: `before_write`, `on_event`. */
  hooks: string[];
  installedAt: string;
  updatedAt: string;
}

export interface PlatformPluginFunction {
  name: string;
  /** Its tool, `plugin_<plugin>_<function>`, listed while the plugin is enabled. */
  toolName: string;
  description: string;
  readOnly: boolean;
}

/**
 * Webhook endpoints of the current workspace. Nothing here ever returns a custom header's
 * value, and the signing secret only in `create`'s answer. `requestId` ties the platform's
 * own audit row to the call that caused it.
 */
export interface PlatformWebhooks {
  list(): Promise<PlatformWebhook[]>;
  create(
    input: PlatformWebhookInput,
    requestId?: string,
  ): Promise<{ webhook: PlatformWebhook; secret: string }>;
  /** `headers` replaces every custom header (`{}` removes them); `enabled: false` cancels what waited. */
  update(id: string, patch: PlatformWebhookPatch, requestId?: string): Promise<PlatformWebhook>;
  remove(id: string, requestId?: string): Promise<void>;
  /** Newest first; `cursor` is the previous page's `nextCursor`. */
  deliveries(
    webhookId: string,
    query: PlatformDeliveryQuery,
  ): Promise<{ deliveries: PlatformWebhookDelivery[]; nextCursor?: string }>;
  /** Due again at once with a fresh retry schedule; a pending delivery is left as it is. */
  replay(deliveryId: string, requestId?: string): Promise<PlatformWebhookDelivery>;
  /** Queues a `webhook.test` event to this endpoint only. */
  sendTest(webhookId: string, requestId?: string): Promise<{ eventId: string; queued: number }>;
  /** The event types an endpoint may subscribe to. */
  eventTypes(): Promise<PlatformEventType[]>;
}

export interface PlatformWebhookInput {
  url: string;
  eventTypes: string[];
  description?: string;
  headers?: Record<string, string>;
}

export type PlatformWebhookPatch = Partial<PlatformWebhookInput> & { enabled?: boolean };

export interface PlatformWebhook {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  /** Names of the custom headers sent with every delivery; never their values. */
  headerNames: string[];
  enabled: boolean;
  disabledReason?: 'manual' | 'gone' | 'failing' | 'refused';
  failingSince?: string;
  lastError?: string;
  previousSecretExpiresAt?: string;
  createdAt: string;
  updatedAt: string;
}

export type PlatformDeliveryState = 'pending' | 'delivered' | 'dead' | 'aborted' | 'cancelled';

export interface PlatformDeliveryQuery {
  state?: PlatformDeliveryState;
  limit?: number;
  cursor?: string;
}

/** One event to one endpoint; its `id` is the `webhook-id` header of every attempt. */
export interface PlatformWebhookDelivery {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  state: PlatformDeliveryState;
  attempts: number;
  nextAttemptAt?: string;
  lastStatus?: number;
  lastError?: string;
  createdAt: string;
  finishedAt?: string;
}

export interface PlatformEventType {
  type: string;
  description: string;
  /** Top-level keys of the event's `data`. */
  dataFields: string[];
}

export type WorkspaceRole = 'owner' | 'admin' | 'editor' | 'viewer';

export interface PlatformIdentity {
  user?: { id: string; email: string; name?: string };
  apiKey?: { id: string; name: string };
  workspace?: { id: string; name: string };
  role?: WorkspaceRole;
  /** 'access_token' | 'api_key' | 'standalone' */
  authenticatedWith: string;
}

export interface PlatformWorkspace {
  id: string;
  name: string;
  role: WorkspaceRole;
  createdAt: string;
}

export interface PlatformMember {
  userId: string;
  email: string;
  name?: string;
  role: WorkspaceRole;
  joinedAt: string;
}

export interface PlatformConnection {
  id: string;
  name: string;
  /** e.g. `pat…a1b2` */
  tokenHint: string;
  /** Bases this connection is limited to; absent means every base the token reaches. */
  bases?: string[];
  createdAt: string;
  isDefault: boolean;
}

export interface PlatformAuditQuery {
  limit?: number;
  cursor?: string;
  action?: string;
  actorId?: string;
  outcome?: 'success' | 'failure' | 'denied';
  since?: string;
  until?: string;
}

export interface PlatformAuditEvent {
  id: string;
  at: string;
  action: string;
  actor: { type: 'user' | 'api_key' | 'system'; id: string; label?: string };
  target?: { type: string; id: string };
  outcome: 'success' | 'failure' | 'denied';
  errorCode?: string;
  durationMs?: number;
  details?: Record<string, unknown>;
}
