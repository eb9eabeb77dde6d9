/** The one coded-error factory, for the packages above the platform (the orchestrator's map allows only the platform). */
export { codedError } from '@airsuite/airtable-gateway/coded-error';
export { PlatformConfigError, type PlatformConfigErrorCode } from './crypto/config-error.ts';
export { newId } from './crypto/opaque-token.ts';
export { createSecretBox, type SecretBox } from './crypto/secret-box.ts';
export { loadSecretKey } from './crypto/secret-key.ts';
export type { Database, ListenOptions, NotificationGap, Queryable } from './db/database.ts';
export { createIsolatedSchema, type IsolatedSchema } from './db/isolated-schema.ts';
export { type MigrationReport, migrate } from './db/migrate.ts';
export { type OpenDatabaseOptions, openDatabase } from './db/open-database.ts';
export { isPlatformError, PLATFORM_ERRORS, PlatformError, type PlatformErrorCode } from './errors.ts';
export type { HealthReport } from './health.ts';
export { createHttpApp, type HttpAppOptions } from './http/create-app.ts';
export { defineRoute, registerRoute, toJsonSchema } from './http/define-route.ts';
export { installAuthHook, principalOf } from './http/routes/auth-hook.ts';
export { problems as problemResponses } from './http/routes/schemas.ts';
export {
  formatSseFrame,
  openSse,
  SSE_HEARTBEAT_MS,
  type SseFrame,
  type SseStream,
} from './http/sse.ts';
export {
  ensureLocalBootstrap,
  LOCAL_CREDENTIALS_FILE,
  LOCAL_OWNER_EMAIL,
  type LocalBootstrap,
  type LocalCredentials,
  readLocalCredentials,
} from './local-bootstrap.ts';
export { bearerFrom, createPlatform, type Platform, type PlatformOptions } from './platform.ts';
export {
  DEFAULT_DATA_DIR,
  DEFAULT_PLATFORM_PORT,
  type PlatformSettings,
  platformSettingsFromEnv,
} from './platform-settings.ts';
export {
  DEFAULT_PLUGIN_LIMITS,
  declaredExports,
  limitsOf,
  PLUGIN_LIMIT_CEILINGS,
  type PluginManifest,
  type PluginManifestInput,
  pluginManifestSchema,
} from './plugins/manifest.ts';
export { PluginError, type PluginErrorCode } from './plugins/plugin-error.ts';
export { PLUGIN_CHANGES_CHANNEL, type PluginServices } from './plugins/plugin-services.ts';
export { canonicalJson, signedMessage } from './plugins/plugin-signature.ts';
export { hostCallsFor } from './plugins/runtime/host-calls.ts';
export { InstancePool } from './plugins/runtime/instance-pool.ts';
export { type HostCalls, PluginInstance } from './plugins/runtime/plugin-instance.ts';
export { validatePlugin } from './plugins/validate-plugin.ts';
export type { Principal, WorkspaceAccess } from './principal.ts';
export {
  buildPlatformApp,
  listenHttpApp,
  type PlatformAppOptions,
  type RunningHttpServer,
  type RunningPlatformServer,
  startPlatformServer,
} from './server.ts';
export { type AuditLog, createAuditLog } from './services/audit-log.ts';
export { requireRole } from './services/workspaces.ts';
export { createOutbox, type EventInput, type Outbox, WEBHOOK_CHANNEL } from './webhooks/outbox.ts';
export {
  createWebhookServices,
  type WebhookServices,
  type WebhookSettings,
} from './webhooks/webhook-services.ts';
