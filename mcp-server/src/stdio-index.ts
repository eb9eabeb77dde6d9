/**
 * The stdio surface, `@airsuite/mcp-server/stdio`: what `airsuite mcp` needs to serve a desktop
 * client, and nothing else. Claude Desktop starts this server on every launch, so this entry
 * must never pull in the platform (database, Fastify) that the main entry exports.
 */
export { MCP_CONFIG_ERROR_CODES, McpConfigError, type McpConfigErrorCode } from './errors.ts';
export { MCP_RELAY_ERROR_CODES, McpRelayError, type McpRelayErrorCode } from './relay-failure.ts';
export { type RunningStdioServer, runStdioServer, type StdioServerOptions } from './stdio.ts';
export {
  DEFAULT_PLATFORM_MCP_URL,
  type RunningStdioBridge,
  runStdioBridge,
  type StdioBridgeOptions,
} from './stdio-bridge.ts';
