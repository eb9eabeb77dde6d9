// The yardstick of `npm run bench -- cli`: the smallest useful MCP server, the SDK's McpServer
// with one tool over stdio, as plain JavaScript run by node (nothing to compile or transpile).
// Whatever `airsuite mcp` spends beyond this before its first tools/list is AirSuite's own.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'yardstick', version: '1.0.0' });
server.registerTool(
  'echo',
  { description: 'Returns the text it is given', inputSchema: { text: z.string() } },
  async ({ text }) => ({ content: [{ type: 'text', text }] }),
);
await server.connect(new StdioServerTransport());
