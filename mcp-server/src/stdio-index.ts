/**
 * The stdio surface, `@airsuite/mcp-server/stdio`: the catalogue served over stdio with an
 * in-process gateway (`airsuite mcp` with AIRTABLE_TOKEN). Claude Desktop starts this server on
 * every launch, so this entry must never pull in the platform (database, Fastify) that the main
 * entry exports. The relay to a platform is `@airsuite/mcp-server/relay`.
 */
export { MCP_CONFIG_ERROR_CODES, McpConfigError, type McpConfigErrorCode } from './errors.ts';
export { type RunningStdioServer, runStdioServer, type StdioServerOptions } from './stdio.ts';
