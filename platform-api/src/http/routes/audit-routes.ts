// The audit row's shape is the tools': REST and list_audit_events answer alike.
import { auditEventSchema } from '@airsuite/tools';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../platform.ts';
import { requireRole } from '../../services/workspaces.ts';
import { defineRoute, registerRoute } from '../define-route.ts';
import { principalOf } from './auth-hook.ts';
import { problems, snake, workspaceParams } from './schemas.ts';

const isoDateTime = z.iso.datetime({
  offset: true,
  message: 'must be an ISO date-time such as 2030-01-01T00:00:00Z',
});

/** PostgreSQL text cannot hold NUL, so a filter with one could only fail in the database. */
const filterText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');

export function auditRoutes(platform: Platform) {
  return async (app: FastifyInstance) => {
    registerRoute(
      app,
      defineRoute({
        method: 'GET',
        url: '/workspaces/:id/audit',
        summary: 'Read the audit trail',
        description:
          'Admins and owners. Newest first; every mutation and tool call (who, what, outcome, duration; ' +
          'arguments summarised, never secrets). `action` is exact or a prefix such as `tool.*`.',
        tags: ['audit'],
        operationId: 'listAuditEvents',
        auth: 'required',
        params: workspaceParams,
        query: z.object({
          limit: z.coerce.number().int().min(1).max(100).default(50),
          cursor: filterText(200).optional(),
          action: filterText(100).optional(),
          actor_id: filterText(100).optional(),
          outcome: z.enum(['success', 'failure', 'denied']).optional(),
          since: isoDateTime.optional(),
          until: isoDateTime.optional(),
        }),
        response: {
          200: z.object({ events: z.array(auditEventSchema), next_cursor: z.string().optional() }),
          ...problems,
        },
        async handler(request) {
          const access = await platform.workspaces.access(principalOf(request), request.params.id);
          requireRole(access, 'admin', 'reading the audit log');
          const q = request.query;
          const page = await platform.audit.list(access.workspaceId, {
            limit: q.limit,
            ...(q.cursor ? { cursor: q.cursor } : {}),
            ...(q.action ? { action: q.action } : {}),
            ...(q.actor_id ? { actorId: q.actor_id } : {}),
            ...(q.outcome ? { outcome: q.outcome } : {}),
            ...(q.since ? { since: q.since } : {}),
            ...(q.until ? { until: q.until } : {}),
          });
          return {
            events: page.events.map(snake),
            ...(page.nextCursor ? { next_cursor: page.nextCursor } : {}),
          };
        },
      }),
    );
  };
}
