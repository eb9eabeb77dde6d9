import { inMemoryMcpClients } from '@airsuite/mcp-server';
import {
  ChatConfigError,
  type ChatService,
  type ChatSettings,
  chatSettingsFromEnv,
  createChatService,
  createModelResolver,
  createPgChatStore,
  httpMcpConnector,
  pgCancelBus,
} from '@airsuite/orchestrator';
import { ConfigError } from './config-error.ts';
import type { Env } from './emulator-config.ts';
import type { PlatformRuntime } from './platform-runtime.ts';

const CHAT_CLIENT = { name: 'airsuite-orchestrator', version: '0.1.0' };

/** ChatConfigError → ConfigError (exit 2). */
export function chatSettings(env: Env): ChatSettings {
  try {
    return chatSettingsFromEnv(env);
  } catch (error) {
    if (error instanceof ChatConfigError) throw new ConfigError(error.message);
    throw error;
  }
}

/**
 * The chat service over the platform runtime: conversations in the platform's database,
 * Gemini from GEMINI_API_KEY (or a workspace's own key), tools through the MCP server in
 * this process — or over HTTP at `mcpUrl` when the MCP server runs elsewhere.
 */
export function createChatRuntime(
  runtime: PlatformRuntime,
  settings: ChatSettings,
  mcpUrl?: string,
): ChatService {
  const store = createPgChatStore(runtime.platform.db);
  const models = createModelResolver({
    store,
    secretBox: runtime.secretBox,
    ...(settings.geminiApiKey ? { defaultApiKey: settings.geminiApiKey } : {}),
    model: settings.geminiModel,
    ...(settings.geminiBaseUrl ? { baseUrl: settings.geminiBaseUrl } : {}),
  });
  return createChatService({
    store,
    connect: mcpUrl
      ? httpMcpConnector(mcpUrl)
      : inMemoryMcpClients(runtime.platform, { clientInfo: CHAT_CLIENT }),
    modelFor: (workspaceId) => models.modelFor(workspaceId),
    setWorkspaceKey: (workspaceId, apiKey) => models.setWorkspaceKey(workspaceId, apiKey),
    limits: settings.limits,
    // Behind a load balancer, a cancel may arrive at another process than the one answering.
    cancelBus: pgCancelBus(runtime.platform.db),
  });
}
