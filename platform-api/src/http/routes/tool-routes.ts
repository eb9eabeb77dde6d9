import { runTool, type ToolContext } from '@airsuite/tools';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PLATFORM_ERRORS, PlatformError, type PlatformErrorCode } from '../../errors.ts';
import type { Platform } from '../../platform.ts';
import { actorOf } from '../../principal.ts';
import { summariseArguments } from '../../services/summarise-arguments.ts';
import { defineRoute, registerRoute, toJsonSchema } from '../define-route.ts';
import { principalOf } from './auth-hook.ts';
import { problems, workspaceParams } from './schemas.ts';

const toolSchema = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  input_schema: z.record(z.string(), z.unknown()),
  output_schema: z.record(z.string(), z.unknown()),
  annotations: z.record(z.string(), z.unknown()),
});

/** Refusals that happen before a tool's handler runs, so the audited handler never saw them. */
const REFUSED_BEFORE_HANDLER = new Set(['TOOL_INVALID_INPUT', 'TOOL_NOT_ALLOWED', 'TOOL_READ_ONLY']);

const toolCode = (code: string): PlatformErrorCode =>
  code in PLATFORM_ERRORS ? (code as PlatformErrorCode) : 'TOOL_INTERNAL_ERROR';

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
          const { tools } = platform.tools.catalogueFor(access);
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
          'The body is the tool input. Same validation, results and error codes as over MCP: ' +
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
          const started = performance.now();
          const access = await platform.workspaces.access(principalOf(request), request.params.id);
          const { tools } = platform.tools.catalogueFor(access);
          const tool = tools.find((t) => t.name === request.params.name);
          if (!tool) {
            throw new PlatformError(
              'TOOL_NOT_FOUND',
              `no tool named ${request.params.name} is available to you here`,
              {
                available_tools: tools.map((t) => t.name),
              },
            );
          }
          const controller = new AbortController();
          const abort = () => controller.abort();
          request.raw.once('close', abort);
          try {
            const context: ToolContext = {
              ...(await platform.tools.contextFor(access)),
              signal: controller.signal,
              requestId: request.id,
              progress: () => {},
              log: (level, message) =>
                request.log[level === 'warning' ? 'warn' : level]({ tool: tool.name }, message),
            };
            const outcome = await runTool(tool, request.body ?? {}, context, {
              onInternalError: (error) =>
                request.log.error({ err: error, tool: tool.name }, 'tool failed unexpectedly'),
            });
            if (outcome.ok) return { output: outcome.output, text: outcome.text };
            if (REFUSED_BEFORE_HANDLER.has(outcome.code)) {
              await platform.audit.record({
                workspaceId: access.workspaceId,
                actor: actorOf(access.principal),
                action: 'tool.call',
                target: { type: 'tool', id: tool.name },
                outcome: outcome.code === 'TOOL_INVALID_INPUT' ? 'failure' : 'denied',
                errorCode: outcome.code,
                durationMs: performance.now() - started,
                requestId: request.id,
                // The raw body, summarised like a handler's input: the trail shows what was refused.
                details: {
                  tool: tool.name,
                  arguments: summariseArguments(request.body ?? {}) as Record<string, unknown>,
                },
              });
            }
            throw new PlatformError(toolCode(outcome.code), outcome.message, outcome.details);
          } finally {
            request.raw.off('close', abort);
          }
        },
      }),
    );
  };
}
