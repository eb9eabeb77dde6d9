export {
  type CreateMcpServerOptions,
  createMcpServer,
  MCP_SERVER_NAME,
  MCP_SERVER_VERSION,
} from './create-mcp-server.ts';
export { MCP_CONFIG_ERROR_CODES, McpConfigError, type McpConfigErrorCode } from './errors.ts';
export {
  DEFAULT_MCP_HOST,
  DEFAULT_MCP_PORT,
  MCP_PATH,
  type McpHttpServerOptions,
  type McpPlatformAuthOptions,
  type McpStaticAuthOptions,
  type RunningMcpHttpServer,
  startMcpHttpServer,
} from './http-server.ts';
export {
  httpListenSettingsFromEnv,
  httpSettingsFromEnv,
  type McpHttpListenSettings,
  type McpHttpSettings,
  startMcpHttpServerFromEnv,
} from './http-settings-from-env.ts';
export { McpAuthError, type McpAuthenticator, type McpIdentity } from './identity.ts';
export {
  type InMemoryClientOptions,
  type InMemoryConnectRequest,
  inMemoryMcpClients,
} from './in-memory-client.ts';
export { createPlatformAuthenticator, WORKSPACE_HEADER } from './platform-authenticator.ts';
export { type Env, policyFromEnv } from './policy-from-env.ts';
export { BASE_SCHEMA_TEMPLATE, baseSchemaUri } from './register-resources.ts';
export { INTERNAL_TOOL_ERROR } from './register-tools.ts';
export { MCP_RELAY_ERROR_CODES, McpRelayError, type McpRelayErrorCode } from './relay-failure.ts';
export { type RunningStdioServer, runStdioServer, type StdioServerOptions } from './stdio.ts';
export {
  DEFAULT_PLATFORM_MCP_URL,
  type RunningStdioBridge,
  runStdioBridge,
  type StdioBridgeOptions,
} from './stdio-bridge.ts';
export type { CallerContext, ContextFor } from './tool-context-factory.ts';
