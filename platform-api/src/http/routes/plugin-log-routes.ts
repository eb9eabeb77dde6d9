import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../platform.ts';
import { defineRoute, registerRoute } from '../define-route.ts';
import { principalOf } from './auth-hook.ts';
import { pluginParams } from './plugin-schemas.ts';
import { problems } from './schemas.ts';

const logsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('lines per page (at most 500)'),
  level: z.enum(['debug', 'info', 'warn', 'error']).optional().describe('this level and above'),
  before: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .describe('only lines older than this seq: the last seq of a page, for the next one'),
});

const logSchema = z.object({
  seq: z.number(),
  plugin: z.string(),
  version: z.string(),
  function: z.string().describe('the function or hook that logged it'),
  level: z.enum(['debug', 'info', 'warn', 'error']),
  message: z.string(),
  request_id: z.string().nullable(),
  created_at: z.string(),
});

const listLogsRoute = (platform: Platform) =>
  defineRoute({
    method: 'GET',
    url: '/workspaces/:id/plugins/:name/logs',
    summary: "An installed plugin's logs",
    description:
      "Admins and owners. What the plugin logged (Extism's log_* functions), newest first; the newest 1,000 lines are kept per plugin, 100 per call.",
    tags: ['plugins'],
    operationId: 'listPluginLogs',
    auth: 'required',
    params: pluginParams,
    query: logsQuery,
    response: { 200: z.object({ logs: z.array(logSchema) }), ...problems },
    async handler(request) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      const { limit, level, before } = request.query;
      return {
        logs: await platform.plugins.logs.list(access, request.params.name, {
          limit,
          ...(level ? { level } : {}),
          ...(before ? { before } : {}),
        }),
      };
    },
  });

export function registerPluginLogRoutes(app: FastifyInstance, platform: Platform): void {
  registerRoute(app, listLogsRoute(platform));
}
