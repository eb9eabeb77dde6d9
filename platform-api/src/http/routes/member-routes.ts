import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../platform.ts';
import { defineRoute, registerRoute } from '../define-route.ts';
import { principalOf } from './auth-hook.ts';
import {
  emailSchema,
  idParam,
  memberSchema,
  problems,
  roleSchema,
  snake,
  workspaceParams,
} from './schemas.ts';

const memberParams = workspaceParams.extend({ userId: idParam('usr', 'user') });

const addMemberRoute = (platform: Platform) =>
  defineRoute({
    method: 'POST',
    url: '/workspaces/:id/members',
    summary: 'Add a member',
    description:
      'Admins add editors, viewers and admins; only owners add owners. The person must have an account.',
    tags: ['members'],
    operationId: 'addMember',
    auth: 'required',
    params: workspaceParams,
    body: z.object({ email: emailSchema, role: roleSchema }),
    response: { 201: memberSchema, ...problems },
    async handler(request, reply) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      const member = await platform.members.add(access, request.body, request.id);
      return reply.code(201).send(snake(member));
    },
  });

const listMembersRoute = (platform: Platform) =>
  defineRoute({
    method: 'GET',
    url: '/workspaces/:id/members',
    summary: 'List members',
    tags: ['members'],
    operationId: 'listMembers',
    auth: 'required',
    params: workspaceParams,
    response: { 200: z.object({ members: z.array(memberSchema) }), ...problems },
    async handler(request) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      return { members: (await platform.members.list(access)).map(snake) };
    },
  });

const updateMemberRoute = (platform: Platform) =>
  defineRoute({
    method: 'PATCH',
    url: '/workspaces/:id/members/:userId',
    summary: "Change a member's role",
    description: 'Owner roles are granted and taken only by owners; the last owner stays owner.',
    tags: ['members'],
    operationId: 'updateMember',
    auth: 'required',
    params: memberParams,
    body: z.object({ role: roleSchema }),
    response: { 200: memberSchema, ...problems },
    async handler(request) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      const member = await platform.members.changeRole(
        access,
        request.params.userId,
        request.body.role,
        request.id,
      );
      return snake(member);
    },
  });

const removeMemberRoute = (platform: Platform) =>
  defineRoute({
    method: 'DELETE',
    url: '/workspaces/:id/members/:userId',
    summary: 'Remove a member (or leave)',
    description: 'Admins remove others; anyone may remove themselves; the last owner cannot leave.',
    tags: ['members'],
    operationId: 'removeMember',
    auth: 'required',
    params: memberParams,
    response: { 204: null, ...problems },
    async handler(request, reply) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      await platform.members.remove(access, request.params.userId, request.id);
      return reply.code(204).send();
    },
  });

export function memberRoutes(platform: Platform) {
  return async (app: FastifyInstance) => {
    registerRoute(app, addMemberRoute(platform));
    registerRoute(app, listMembersRoute(platform));
    registerRoute(app, updateMemberRoute(platform));
    registerRoute(app, removeMemberRoute(platform));
  };
}
