export { codedError } from '@airsuite/airtable-gateway/coded-error';
export { isBaseAllowed, isTableAllowed } from './airtable/access.ts';
export { type CatalogueOptions, createCatalogue } from './catalogue.ts';
export { defineTool, type ToolAnnotations, type ToolDefinition } from './core/define-tool.ts';
export type {
  PlatformAuditEvent,
  PlatformAuditQuery,
  PlatformConnection,
  PlatformDeliveryQuery,
  PlatformDeliveryState,
  PlatformEventType,
  PlatformIdentity,
  PlatformMember,
  PlatformPlugin,
  PlatformPluginFunction,
  PlatformPluginInstall,
  PlatformPlugins,
  PlatformPort,
  PlatformWebhook,
  PlatformWebhookDelivery,
  PlatformWebhookInput,
  PlatformWebhookPatch,
  PlatformWebhooks,
  PlatformWorkspace,
  WorkspaceRole,
} from './core/platform-port.ts';
export { OPEN_POLICY, type SafetyPolicy, toolAllowedBy } from './core/policy.ts';
export { effectiveMinimumRole, ROLE_RANK, roleAtLeast } from './core/roles.ts';
export {
  INTERNAL_TOOL_ERROR_MESSAGE,
  type RunToolHooks,
  runTool,
  type ToolOutcome,
} from './core/run-tool.ts';
export type {
  Caller,
  GuardedWrite,
  ProgressUpdate,
  ToolCallReport,
  ToolContext,
} from './core/tool-context.ts';
export { isToolError, TOOL_ERROR_CODES, ToolError, type ToolErrorCode } from './core/tool-error.ts';
export {
  createMemoryOperationStore,
  DEFAULT_OPERATION_LEASE_MS,
  newOperationId,
} from './operations/memory-operation-store.ts';
export {
  effectiveState,
  type LandedRecord,
  type NewOperation,
  type OperationChunk,
  type OperationQuery,
  type OperationRecord,
  type OperationStart,
  type OperationState,
  type OperationStore,
  type PendingChunk,
  type WriteKind,
} from './operations/operation-store.ts';
export { type OperationView, operationView } from './operations/operation-view.ts';
export { auditEventSchema } from './platform/audit-event-schema.ts';
export { platformTools, pluginAdminTools, webhookTools } from './platform-tools.ts';
