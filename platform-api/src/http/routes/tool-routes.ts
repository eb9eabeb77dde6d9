import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../platform.ts';
import { defineRoute, registerRoute, toJsonSchema } from '../define-route.ts';
import { principalOf } from './auth-hook.ts';
import { callWorkspaceTool } from './call-workspace-tool.ts';
import { problems, workspaceParams } from './schemas.ts';

const toolSchema = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  input_schema: z.record(z.string(), z.unknown()),
  output_schema: z.record(z.string(), z.unknown()),
  annotations: z.record(z.string(), z.unknown()),
});

export function toolRoutes(platform: Platform) {
  return async (app: FastifyInstance) => {
    registerRoute(
      app,
      defineRoute({
        method: 'GET',
        url: '/workspaces/:id/tools',
        summary: 'List the tools you may call',
        description:
          'The MCP catalogue as your role sees it (a viewer sees no write tools), with JSON Schemas.',
        tags: ['tools'],
        operationId: 'listTools',
        auth: 'required',
        params: workspaceParams,
        response: { 200: z.object({ tools: z.array(toolSchema) }), ...problems },
        async handler(request) {
          const access = await platform.workspaces.access(principalOf(request), request.params.id);
          const { tools } = await platform.tools.catalogueFor(access);
          return {
            tools: tools.map((tool) => ({
              name: tool.name,
              title: tool.title,
              description: tool.description,
              input_schema: toJsonSchema(tool.inputSchema, 'input'),
              output_schema: toJsonSchema(tool.outputSchema, 'output'),
              annotations: { ...tool.annotations },
            })),
          };
        },
      }),
    );

    registerRoute(
      app,
      defineRoute({
        method: 'POST',
        url: '/workspaces/:id/tools/:name',
        summary: 'Call a tool',
        description:
          'The body is the tool input itself (what MCP sends as `arguments`, not wrapped in it); a key the tool ' +
          'does not take is 400 TOOL_INVALID_INPUT naming it. Same validation, results and error codes as over MCP: ' +
          'success is `{ output, text }`; a tool failure is problem+json whose `code` is the tool code (TOOL_UNKNOWN_FIELD …).',
        tags: ['tools'],
        operationId: 'callTool',
        auth: 'required',
        params: workspaceParams.extend({
          name: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be a tool name'),
        }),
        body: z.record(z.string(), z.unknown()).optional(),
        response: {
          200: z.object({ output: z.record(z.string(), z.unknown()), text: z.string() }),
          ...problems,
        },
        async handler(request) {
          const outcome = await callWorkspaceTool(
            platform,
            request,
            request.params.id,
            request.params.name,
            request.body ?? {},
          );
          return { output: outcome.output, text: outcome.text };
        },
      }),
    );
  };
}
