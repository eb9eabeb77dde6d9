import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../platform.ts';
import { defineRoute, registerRoute } from '../define-route.ts';
import { principalOf } from './auth-hook.ts';
import { connectionSchema, idParam, nameSchema, problems, snake, workspaceParams } from './schemas.ts';

export function connectionRoutes(platform: Platform) {
  return async (app: FastifyInstance) => {
    registerRoute(
      app,
      defineRoute({
        method: 'POST',
        url: '/workspaces/:id/connections',
        summary: 'Connect an Airtable account',
        description:
          'Stores a personal access token, encrypted (AES-256-GCM), after checking it with Airtable (whoami). ' +
          'The token is never returned. `bases` limits what the tools may reach. The first connection is the default.',
        tags: ['connections'],
        operationId: 'createConnection',
        auth: 'required',
        params: workspaceParams,
        body: z.object({
          name: nameSchema(),
          token: z
            .string()
            .trim()
            .min(10, 'must be an Airtable personal access token')
            .max(512, 'must be at most 512 characters')
            .regex(/^[\x21-\x7e]+$/, 'must be an Airtable personal access token (no spaces)'),
          bases: z
            .array(z.string().regex(/^app[A-Za-z0-9]{3,40}$/, 'must be an Airtable base id (app…)'))
            .max(1000)
            .optional(),
        }),
        response: { 201: connectionSchema, 502: problems[422], ...problems },
        async handler(request, reply) {
          const access = await platform.workspaces.access(principalOf(request), request.params.id);
          const connection = await platform.connections.create(access, request.body, request.id);
          return reply.code(201).send(snake(connection));
        },
      }),
    );

    registerRoute(
      app,
      defineRoute({
        method: 'GET',
        url: '/workspaces/:id/connections',
        summary: 'List Airtable connections',
        description: 'Tokens are shown masked (`pat…a1b2`).',
        tags: ['connections'],
        operationId: 'listConnections',
        auth: 'required',
        params: workspaceParams,
        response: { 200: z.object({ connections: z.array(connectionSchema) }), ...problems },
        async handler(request) {
          const access = await platform.workspaces.access(principalOf(request), request.params.id);
          return { connections: (await platform.connections.list(access)).map(snake) };
        },
      }),
    );

    registerRoute(
      app,
      defineRoute({
        method: 'DELETE',
        url: '/workspaces/:id/connections/:connectionId',
        summary: 'Remove an Airtable connection',
        description:
          'The stored token is deleted; if it was the default, the oldest remaining one becomes default.',
        tags: ['connections'],
        operationId: 'deleteConnection',
        auth: 'required',
        params: workspaceParams.extend({ connectionId: idParam('con', 'connection') }),
        response: { 204: null, ...problems },
        async handler(request, reply) {
          const access = await platform.workspaces.access(principalOf(request), request.params.id);
          await platform.connections.remove(access, request.params.connectionId, request.id);
          return reply.code(204).send();
        },
      }),
    );
  };
}
