import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { PlatformError } from '../errors.ts';
import { createHttpApp, type HttpAppOptions } from './create-app.ts';
import { defineRoute, registerRoute } from './define-route.ts';

/**
 * For the http tests only: the infrastructure with a small route group mounted at `/v1`,
 * shaped like the lead's real route plugins.
 */

export const widgetInput = z.object({
  name: z.string().min(1).max(100_000),
  email: z.email(),
  count: z.number().int().min(0),
  tags: z.array(z.string().max(50)).max(10).optional(),
});

export const widget = z
  .object({ id: z.string(), workspaceId: z.string(), dryRun: z.boolean() })
  .extend(widgetInput.shape)
  .describe('The widget as stored');

const sampleRoutes: FastifyPluginAsync = async (app) => {
  registerRoute(
    app,
    defineRoute({
      method: 'POST',
      url: '/workspaces/:workspaceId/widgets',
      summary: 'Create a widget',
      description: 'Only here for the http tests.',
      tags: ['widgets'],
      operationId: 'createWidget',
      auth: 'required',
      params: z.object({ workspaceId: z.string().regex(/^ws_[a-z0-9]+$/) }),
      query: z.object({ dryRun: z.enum(['true', 'false']).optional() }),
      body: widgetInput,
      response: { 201: widget, 409: z.object({ code: z.string() }).describe('The name is taken') },
      handler: async (request, reply) => {
        reply.code(201);
        return {
          id: 'wdg_1',
          workspaceId: request.params.workspaceId,
          dryRun: request.query.dryRun === 'true',
          ...request.body,
        };
      },
    }),
  );

  registerRoute(
    app,
    defineRoute({
      method: 'POST',
      url: '/logout',
      summary: 'End the session',
      tags: ['auth'],
      operationId: 'logout',
      auth: 'none',
      response: { 204: null },
      handler: async (_request, reply) => reply.code(204).send(),
    }),
  );

  registerRoute(
    app,
    defineRoute({
      method: 'GET',
      url: '/boom/:kind',
      summary: 'Fail on purpose',
      tags: ['test'],
      operationId: 'boom',
      auth: 'none',
      params: z.object({ kind: z.enum(['platform', 'plain', 'internal', 'unserializable']) }),
      response: { 200: z.object({}) },
      handler: async (request) => {
        switch (request.params.kind) {
          case 'platform':
            throw new PlatformError('RATE_LIMITED', 'slow down', {
              retryAfterSeconds: 2.5,
              scope: 'workspace',
            });
          case 'internal':
            throw new PlatformError('INTERNAL', 'pool exhausted at db.internal:5432');
          case 'unserializable':
            return { big: 10n } as never;
          default:
            throw new Error('connection string postgres://admin:hunter2@db failed');
        }
      },
    }),
  );
};

export function buildSampleApp(options: HttpAppOptions = {}): FastifyInstance {
  const app = createHttpApp(options);
  app.register(sampleRoutes, { prefix: '/v1' });
  return app;
}

export const WIDGETS_URL = '/v1/workspaces/ws_abc/widgets';

export const validWidget = { name: 'Gizmo', email: 'ada@example.com', count: 3 };
