/**
 * The relay surface, `@airsuite/mcp-server/relay`: stdio to a running platform's Streamable
 * HTTP endpoint (`airsuite mcp` with AIRSUITE_API_KEY, the entry `airsuite start` prints for
 * Claude Desktop). It loads the SDK's two transports and nothing of the tool catalogue.
 */
export { MCP_CONFIG_ERROR_CODES, McpConfigError, type McpConfigErrorCode } from './errors.ts';
export { MCP_RELAY_ERROR_CODES, McpRelayError, type McpRelayErrorCode } from './relay-failure.ts';
export {
  DEFAULT_PLATFORM_MCP_URL,
  type RunningStdioBridge,
  runStdioBridge,
  type StdioBridgeOptions,
} from './stdio-bridge.ts';
