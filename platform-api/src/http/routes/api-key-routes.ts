import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../platform.ts';
import { defineRoute, registerRoute } from '../define-route.ts';
import { principalOf } from './auth-hook.ts';
import {
  apiKeySchema,
  idParam,
  nameSchema,
  problems,
  roleSchema,
  snake,
  workspaceParams,
} from './schemas.ts';

export function apiKeyRoutes(platform: Platform) {
  return async (app: FastifyInstance) => {
    registerRoute(
      app,
      defineRoute({
        method: 'POST',
        url: '/workspaces/:id/api-keys',
        summary: 'Create an API key',
        description:
          'For MCP clients, CI and scripts. The key (`ask_live_…`) is in this response only; store it now. Its role cannot exceed yours.',
        tags: ['api-keys'],
        operationId: 'createApiKey',
        auth: 'required',
        params: workspaceParams,
        body: z.object({
          name: nameSchema(),
          role: roleSchema,
          expires_at: z.iso
            .datetime({ offset: true, message: 'must be an ISO date-time such as 2030-01-01T00:00:00Z' })
            .optional(),
        }),
        response: { 201: apiKeySchema.extend({ key: z.string().describe('shown once') }), ...problems },
        async handler(request, reply) {
          const access = await platform.workspaces.access(principalOf(request), request.params.id);
          const { key, token } = await platform.apiKeys.create(
            access,
            {
              name: request.body.name,
              role: request.body.role,
              ...(request.body.expires_at ? { expiresAt: new Date(request.body.expires_at) } : {}),
            },
            request.id,
          );
          return reply.code(201).send({ ...snake(key), key: token });
        },
      }),
    );

    registerRoute(
      app,
      defineRoute({
        method: 'GET',
        url: '/workspaces/:id/api-keys',
        summary: 'List API keys',
        description: 'Admins and owners. Never the keys themselves: name, role, prefix, last use.',
        tags: ['api-keys'],
        operationId: 'listApiKeys',
        auth: 'required',
        params: workspaceParams,
        response: { 200: z.object({ api_keys: z.array(apiKeySchema) }), ...problems },
        async handler(request) {
          const access = await platform.workspaces.access(principalOf(request), request.params.id);
          return { api_keys: (await platform.apiKeys.list(access)).map(snake) };
        },
      }),
    );

    registerRoute(
      app,
      defineRoute({
        method: 'DELETE',
        url: '/workspaces/:id/api-keys/:keyId',
        summary: 'Revoke an API key',
        description: 'Takes effect at once, in every process sharing the database.',
        tags: ['api-keys'],
        operationId: 'revokeApiKey',
        auth: 'required',
        params: workspaceParams.extend({ keyId: idParam('key', 'API key') }),
        response: { 204: null, ...problems },
        async handler(request, reply) {
          const access = await platform.workspaces.access(principalOf(request), request.params.id);
          await platform.apiKeys.revoke(access, request.params.keyId, request.id);
          return reply.code(204).send();
        },
      }),
    );
  };
}
