import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../platform.ts';
import { defineRoute, registerRoute } from '../define-route.ts';
import { principalOf } from './auth-hook.ts';
import { nameSchema, problems, snake, workspaceParams, workspaceSchema } from './schemas.ts';

const createWorkspaceRoute = (platform: Platform) =>
  defineRoute({
    method: 'POST',
    url: '/workspaces',
    summary: 'Create a workspace',
    description: 'You become its owner. Needs a signed-in user, not an API key.',
    tags: ['workspaces'],
    operationId: 'createWorkspace',
    auth: 'required',
    body: z.object({ name: nameSchema() }),
    response: { 201: workspaceSchema, ...problems },
    async handler(request, reply) {
      const workspace = await platform.workspaces.create(principalOf(request), request.body.name, request.id);
      return reply.code(201).send(snake(workspace));
    },
  });

const listWorkspacesRoute = (platform: Platform) =>
  defineRoute({
    method: 'GET',
    url: '/workspaces',
    summary: 'List your workspaces',
    tags: ['workspaces'],
    operationId: 'listWorkspaces',
    auth: 'required',
    response: { 200: z.object({ workspaces: z.array(workspaceSchema) }), ...problems },
    async handler(request) {
      const workspaces = await platform.workspaces.list(principalOf(request));
      return { workspaces: workspaces.map(snake) };
    },
  });

const getWorkspaceRoute = (platform: Platform) =>
  defineRoute({
    method: 'GET',
    url: '/workspaces/:id',
    summary: 'Get a workspace',
    tags: ['workspaces'],
    operationId: 'getWorkspace',
    auth: 'required',
    params: workspaceParams,
    response: { 200: workspaceSchema, ...problems },
    async handler(request) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      return snake(await platform.workspaces.get(access));
    },
  });

const updateWorkspaceRoute = (platform: Platform) =>
  defineRoute({
    method: 'PATCH',
    url: '/workspaces/:id',
    summary: 'Rename a workspace',
    description: 'Admins and owners.',
    tags: ['workspaces'],
    operationId: 'updateWorkspace',
    auth: 'required',
    params: workspaceParams,
    body: z.object({ name: nameSchema() }),
    response: { 200: workspaceSchema, ...problems },
    async handler(request) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      return snake(await platform.workspaces.rename(access, request.body.name, request.id));
    },
  });

const deleteWorkspaceRoute = (platform: Platform) =>
  defineRoute({
    method: 'DELETE',
    url: '/workspaces/:id',
    summary: 'Delete a workspace',
    description: 'Owners only. Its members, keys and connections go with it; the audit trail stays.',
    tags: ['workspaces'],
    operationId: 'deleteWorkspace',
    auth: 'required',
    params: workspaceParams,
    response: { 204: null, ...problems },
    async handler(request, reply) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      await platform.workspaces.remove(access, request.id);
      return reply.code(204).send();
    },
  });

export function workspaceRoutes(platform: Platform) {
  return async (app: FastifyInstance) => {
    registerRoute(app, createWorkspaceRoute(platform));
    registerRoute(app, listWorkspacesRoute(platform));
    registerRoute(app, getWorkspaceRoute(platform));
    registerRoute(app, updateWorkspaceRoute(platform));
    registerRoute(app, deleteWorkspaceRoute(platform));
  };
}
