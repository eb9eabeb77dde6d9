import type { PlatformAuditEvent, PlatformAuditQuery } from '@airsuite/tools';
import { newId } from '../crypto/opaque-token.ts';
import type { Queryable } from '../db/database.ts';
import { jsonbSafe } from '../db/jsonb-safe.ts';
import { PlatformError } from '../errors.ts';

export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditEntry {
  /** Absent for account events (register, login, refresh-token reuse). */
  workspaceId?: string;
  actor: { type: 'user' | 'api_key' | 'system'; id: string; label?: string };
  /** `resource.verb`, e.g. `workspace.create`, `member.update`, `tool.call`. */
  action: string;
  target?: { type: string; id: string };
  outcome: AuditOutcome;
  errorCode?: string;
  durationMs?: number;
  requestId?: string;
  /** Already summarised: never secrets (see summariseArguments). */
  details?: Record<string, unknown>;
}

export interface AuditPage {
  events: PlatformAuditEvent[];
  nextCursor?: string;
}

export const DEFAULT_AUDIT_PAGE = 50;
export const MAX_AUDIT_PAGE = 100;

interface AuditRow {
  id: string;
  seq: string | number;
  at: Date | string;
  actor_type: 'user' | 'api_key' | 'system';
  actor_id: string;
  actor_label: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: AuditOutcome;
  error_code: string | null;
  duration_ms: number | null;
  details: Record<string, unknown> | null;
}

export interface AuditLog {
  /** Writes one row; pass the transaction of the change so both land or neither does. */
  record(entry: AuditEntry, tx?: Queryable): Promise<void>;
  /** One workspace's trail, newest first. The workspace is part of every query. */
  list(workspaceId: string, query?: PlatformAuditQuery): Promise<AuditPage>;
}

const encodeCursor = (seq: string | number) => Buffer.from(`a:${seq}`).toString('base64url');

function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^a:(\d{1,19})$/.exec(text);
  if (!match?.[1]) {
    throw new PlatformError(
      'VALIDATION_FAILED',
      'cursor is not one this API returned; start again without it',
      {
        errors: [{ field: 'cursor', message: 'unknown cursor' }],
      },
    );
  }
  return match[1];
}

function toEvent(row: AuditRow): PlatformAuditEvent {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    action: row.action,
    actor: { type: row.actor_type, id: row.actor_id, ...(row.actor_label ? { label: row.actor_label } : {}) },
    ...(row.target_type && row.target_id ? { target: { type: row.target_type, id: row.target_id } } : {}),
    outcome: row.outcome,
    ...(row.error_code ? { errorCode: row.error_code } : {}),
    ...(row.duration_ms !== null ? { durationMs: row.duration_ms } : {}),
    ...(row.details ? { details: row.details } : {}),
  };
}

export function createAuditLog(db: Queryable): AuditLog {
  return {
    async record(entry, tx = db) {
      await tx.query(
        `INSERT INTO audit_events (id, workspace_id, actor_type, actor_id, actor_label, action, target_type,
           target_id, outcome, error_code, duration_ms, request_id, details)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          newId('aud'),
          entry.workspaceId ?? null,
          entry.actor.type,
          entry.actor.id,
          entry.actor.label ?? null,
          entry.action,
          entry.target?.type ?? null,
          entry.target?.id ?? null,
          entry.outcome,
          entry.errorCode ?? null,
          entry.durationMs === undefined ? null : Math.round(entry.durationMs),
          entry.requestId ?? null,
          entry.details ? JSON.stringify(jsonbSafe(entry.details)) : null,
        ],
      );
    },

    async list(workspaceId, query = {}) {
      for (const [field, text] of [
        ['action', query.action],
        ['actor_id', query.actorId],
      ] as const) {
        if (text?.includes('\u0000')) {
          throw new PlatformError('VALIDATION_FAILED', `${field} must not contain NUL characters`, {
            errors: [{ field, message: 'must not contain NUL characters' }],
          });
        }
      }
      const limit = Math.min(Math.max(query.limit ?? DEFAULT_AUDIT_PAGE, 1), MAX_AUDIT_PAGE);
      const where = ['workspace_id = $1'];
      const params: unknown[] = [workspaceId];
      const add = (clause: string, value: unknown) => {
        params.push(value);
        where.push(clause.replace('?', `$${params.length}`));
      };
      if (query.cursor) add('seq < ?', decodeCursor(query.cursor));
      if (query.action) {
        // `tool.*` matches every tool action; anything else is exact.
        if (query.action.endsWith('.*'))
          add('action LIKE ?', `${query.action.slice(0, -1).replace(/[\\%_]/g, '\\$&')}%`);
        else add('action = ?', query.action);
      }
      if (query.actorId) add('actor_id = ?', query.actorId);
      if (query.outcome) add('outcome = ?', query.outcome);
      if (query.since) add('at >= ?', query.since);
      if (query.until) add('at < ?', query.until);
      params.push(limit + 1);
      const rows = await db.query<AuditRow>(
        `SELECT id, seq, at, actor_type, actor_id, actor_label, action, target_type, target_id, outcome,
                error_code, duration_ms, details
           FROM audit_events WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT $${params.length}`,
        params,
      );
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        events: page.map(toEvent),
        ...(rows.length > limit && last ? { nextCursor: encodeCursor(last.seq) } : {}),
      };
    },
  };
}
