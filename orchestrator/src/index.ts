/**
 * The orchestrator's public surface: the chat service, its adapters, and its HTTP face.
 * Any new export here becomes public API; named exports only.
 */

export { type CancelBus, pgCancelBus } from './cancel-bus.ts';
export { type ChatService, type ChatServiceOptions, createChatService } from './chat-service.ts';
export { ChatConfigError, type ChatSettings, chatSettingsFromEnv } from './chat-settings.ts';
export { toFunctionDeclarations } from './gemini/tool-declarations.ts';
export { CHAT_ERROR_STATUS } from './http/chat-problem.ts';
export { type ConversationRoutesOptions, conversationRoutes } from './http/conversation-routes.ts';
export {
  buildOrchestratorApp,
  DEFAULT_ORCHESTRATOR_PORT,
  type OrchestratorAppOptions,
  type OrchestratorServerOptions,
  type RunningOrchestratorServer,
  startOrchestratorServer,
} from './http/server.ts';
export { SSE_HEARTBEAT_MS } from './http/sse.ts';
export { readSse, type SseFrame } from './http/sse-frames.ts';
export { httpMcpConnector } from './http-mcp-connector.ts';
export { approvalReason, DEFAULT_BULK_WRITE_THRESHOLD, toolJudgedFor } from './loop/approval-policy.ts';
export { CHAT_ERROR_CODES, ChatError, type ChatErrorCode, isChatError } from './loop/errors.ts';
export type { RunEvent, RunStatus, StoredEvent } from './loop/events.ts';
export { DEFAULT_RUN_LIMITS, type RunLimits } from './loop/run-options.ts';
export { createGeminiModel, DEFAULT_GEMINI_MODEL, type GeminiModelOptions } from './model/gemini-model.ts';
export type { ModelPort } from './model/model-port.ts';
export { createModelResolver, geminiKeyAad } from './model/model-resolver.ts';
export type { Caller, McpConnector } from './service/caller.ts';
export type { ApprovalRecord, ChatStore, Conversation, RunRecord } from './store/chat-store.ts';
export { createPgChatStore } from './store/pg-chat-store.ts';
export { WEB_ROOT } from './web-root.ts';
