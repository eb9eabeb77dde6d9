import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isPlatformError, PlatformError } from '../../errors.ts';
import type { Platform } from '../../platform.ts';
import { defineRoute, registerRoute } from '../define-route.ts';
import { callWorkspaceTool } from './call-workspace-tool.ts';
import { idParam, problems, workspaceParams } from './schemas.ts';

const STATES = ['running', 'succeeded', 'partial', 'failed', 'interrupted'] as const;

/**
 * Write operations over REST. They run the catalogue's `list_operations` and `get_operation`,
 * so REST, MCP and chat read the same record (an interrupted operation's last chunk is read
 * back from Airtable first) under the same rule: editors and above.
 */
/** The operation tools are not in the caller's catalogue: say why, as a resource would. */
async function readOperations<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (isPlatformError(error) && error.code === 'TOOL_NOT_FOUND') {
      throw new PlatformError(
        'FORBIDDEN',
        'reading write operations needs the editor role or higher (and a deployment that allows writes)',
      );
    }
    throw error;
  }
}

export function operationRoutes(platform: Platform) {
  return async (app: FastifyInstance) => {
    registerRoute(
      app,
      defineRoute({
        method: 'GET',
        url: '/workspaces/:id/operations',
        summary: 'List write operations',
        description:
          'Multi-record writes (create/update/delete_records), newest first. `state=interrupted` finds calls that a crash or a dropped connection cut short.',
        tags: ['operations'],
        operationId: 'listOperations',
        auth: 'required',
        params: workspaceParams,
        query: z.object({
          state: z.enum(STATES).optional(),
          limit: z.coerce.number().int().min(1).max(100).optional(),
        }),
        response: { 200: z.object({ operations: z.array(z.record(z.string(), z.unknown())) }), ...problems },
        async handler(request) {
          const outcome = await readOperations(() =>
            callWorkspaceTool(platform, request, request.params.id, 'list_operations', {
              ...(request.query.state ? { state: request.query.state } : {}),
              ...(request.query.limit ? { limit: request.query.limit } : {}),
            }),
          );
          return outcome.output as { operations: Record<string, unknown>[] };
        },
      }),
    );

    registerRoute(
      app,
      defineRoute({
        method: 'GET',
        url: '/workspaces/:id/operations/:operation_id',
        summary: 'Get a write operation',
        description:
          'What the write did, record by record: the ids written, the input positions not written, and how to finish it (repeat the call with its idempotency key).',
        tags: ['operations'],
        operationId: 'getOperation',
        auth: 'required',
        params: workspaceParams.extend({ operation_id: idParam('op', 'operation') }),
        response: { 200: z.record(z.string(), z.unknown()), ...problems },
        async handler(request) {
          const outcome = await readOperations(() =>
            callWorkspaceTool(platform, request, request.params.id, 'get_operation', {
              operation_id: request.params.operation_id,
            }),
          );
          return outcome.output;
        },
      }),
    );
  };
}
