import { z } from 'zod';

export const auditOutcomeSchema = z.enum(['success', 'failure', 'denied']);

/** One audit row as callers see it: the REST audit endpoint and `list_audit_events` answer the same shape. */
export const auditEventSchema = z.object({
  id: z.string(),
  at: z.string(),
  action: z.string(),
  actor: z.object({
    type: z.enum(['user', 'api_key', 'system']),
    id: z.string(),
    label: z.string().optional(),
  }),
  target: z.object({ type: z.string(), id: z.string() }).optional(),
  outcome: auditOutcomeSchema,
  error_code: z.string().optional(),
  duration_ms: z.number().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
