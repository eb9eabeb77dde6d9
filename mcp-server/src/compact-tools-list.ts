import type { SafetyPolicy, ToolDefinition } from '@airsuite/tools';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

function jsonSchema(schema: z.ZodObject, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io }) as Record<
    string,
    unknown
  >;
  return rest;
}

/**
 * Serves `tools/list` without what every tool would repeat: the `$schema` dialect line
 * (draft-07 is the MCP default), the default `execution` block and a title copied into the
 * annotations. The catalogue is in every model's context on every turn, so each character
 * is paid for many times; the SDK still validates calls against the same zod schemas.
 */
export function serveCompactToolsList(
  server: McpServer,
  tools: readonly ToolDefinition[],
  policy: SafetyPolicy,
): void {
  const listed = tools
    .filter((tool) => !(policy.readOnly && tool.writes))
    .map((tool) => {
      const { title: _title, ...annotations } = tool.annotations;
      return {
        name: tool.name,
        title: tool.title,
        description: tool.description,
        inputSchema: jsonSchema(tool.inputSchema, 'input'),
        outputSchema: jsonSchema(tool.outputSchema, 'output'),
        annotations,
      };
    });
  server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listed as never }));
}
