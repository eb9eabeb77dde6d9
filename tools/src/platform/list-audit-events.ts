import { z } from 'zod';
import { defineTool } from '../core/define-tool.ts';
import type { PlatformAuditQuery } from '../core/platform-port.ts';
import { auditEventSchema, auditOutcomeSchema } from './audit-event-schema.ts';
import { platformAnnotations, requirePlatform } from './shared.ts';

export const DEFAULT_AUDIT_LIMIT = 25;
export const MAX_AUDIT_LIMIT = 100;

const dateTime = z.iso
  .datetime({ offset: true, error: 'expected an ISO date-time such as 2025-03-01T00:00:00Z' })
  .optional();

export const listAuditEventsTool = defineTool({
  name: 'list_audit_events',
  title: 'List audit events',
  description:
    'Audit log of the current AirSuite workspace, newest first: who did what, to what, with what outcome. Admins and owners only. If next_cursor, call again with cursor.',
  inputSchema: z.object({
    limit: z.number().int().min(1).max(MAX_AUDIT_LIMIT).default(DEFAULT_AUDIT_LIMIT),
    cursor: z.string().optional().describe('next_cursor of the previous call, same filters'),
    action: z.string().min(1).optional().describe('e.g. tool.call'),
    actor_id: z.string().min(1).optional(),
    outcome: auditOutcomeSchema.optional(),
    since: dateTime.describe('ISO date-time, inclusive'),
    until: dateTime.describe('ISO date-time, exclusive'),
  }),
  outputSchema: z.object({
    events: z.array(auditEventSchema),
    next_cursor: z.string().optional(),
  }),
  annotations: platformAnnotations('List audit events'),
  writes: false,
  platform: true,
  minimumRole: 'admin',
  async handler(input, ctx) {
    const platform = requirePlatform(ctx);
    const query: PlatformAuditQuery = { limit: input.limit };
    if (input.cursor !== undefined) query.cursor = input.cursor;
    if (input.action !== undefined) query.action = input.action;
    if (input.actor_id !== undefined) query.actorId = input.actor_id;
    if (input.outcome !== undefined) query.outcome = input.outcome;
    if (input.since !== undefined) query.since = input.since;
    if (input.until !== undefined) query.until = input.until;
    const page = await platform.listAuditEvents(query);
    return {
      events: page.events.map((e) => ({
        id: e.id,
        at: e.at,
        action: e.action,
        actor: e.actor,
        ...(e.target ? { target: e.target } : {}),
        outcome: e.outcome,
        ...(e.errorCode === undefined ? {} : { error_code: e.errorCode }),
        ...(e.durationMs === undefined ? {} : { duration_ms: e.durationMs }),
        ...(e.details ? { details: e.details } : {}),
      })),
      ...(page.nextCursor === undefined ? {} : { next_cursor: page.nextCursor }),
    };
  },
  render(out) {
    if (out.events.length === 0) return 'No audit events.';
    const lines = out.events.map((e) => {
      const actor = `${e.actor.type}:${e.actor.id}${e.actor.label ? ` (${e.actor.label})` : ''}`;
      const target = e.target ? ` on ${e.target.type}:${e.target.id}` : '';
      const failed = e.error_code ? ` ${e.error_code}` : '';
      return `${e.at} ${e.action} by ${actor}${target}: ${e.outcome}${failed}`;
    });
    if (out.next_cursor !== undefined) lines.push(`More: cursor ${out.next_cursor}`);
    return lines.join('\n');
  },
});
