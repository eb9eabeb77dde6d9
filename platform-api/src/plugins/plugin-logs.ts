import type { Database } from '../db/database.ts';
import { PlatformError } from '../errors.ts';
import type { WorkspaceAccess } from '../principal.ts';
import { requireRole } from '../services/workspaces.ts';
import type { PluginLog } from './runtime/plugin-instance.ts';

/** Lines one call may log; past it one line says how many were dropped (a chatty loop fills nothing). */
export const MAX_LOGS_PER_CALL = 100;
/** Lines kept per plugin and workspace: the newest. */
export const KEPT_LOGS_PER_PLUGIN = 1_000;

export interface PluginLogEntry {
  seq: number;
  plugin: string;
  version: string;
  function: string;
  level: PluginLog['level'];
  message: string;
  request_id: string | null;
  created_at: string;
}

/** Where a call's lines came from. */
export interface LogSource {
  workspaceId: string;
  plugin: string;
  version: string;
  fn: string;
  requestId?: string;
}

/** Collects one call's lines, bounded, for `write` once the call is over. */
export function callLog(): { onLog: (log: PluginLog) => void; lines: () => PluginLog[] } {
  const kept: PluginLog[] = [];
  let dropped = 0;
  return {
    onLog: (log) => {
      if (kept.length < MAX_LOGS_PER_CALL) kept.push(log);
      else dropped++;
    },
    lines: () =>
      dropped === 0
        ? kept
        : [...kept, { level: 'warn', message: `${dropped} more lines of this call were dropped` }],
  };
}

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

export interface PluginLogs {
  /** Stores a call's lines (one statement) and trims the plugin's oldest past the bound. */
  write(source: LogSource, lines: readonly PluginLog[], at: Date): Promise<void>;
  /** The newest lines first, for admins: at least `level`, older than `before` (a seq) for the next page. */
  list(
    access: WorkspaceAccess,
    plugin: string,
    options?: { limit?: number; level?: PluginLog['level']; before?: number },
  ): Promise<PluginLogEntry[]>;
}

export function createPluginLogs(db: Database): PluginLogs {
  return {
    async write(source, lines, at) {
      if (lines.length === 0) return;
      await db.query(
        `INSERT INTO plugin_logs (workspace_id, plugin, version, function, level, message, request_id, created_at)
         SELECT $1, $2, $3, $4, level, message, $5, $6 FROM unnest($7::text[], $8::text[]) AS l (level, message)`,
        [
          source.workspaceId,
          source.plugin,
          source.version,
          source.fn,
          source.requestId ?? null,
          at,
          lines.map((l) => l.level),
          lines.map((l) => l.message),
        ],
      );
      await db.query(
        `DELETE FROM plugin_logs WHERE workspace_id = $1 AND plugin = $2 AND seq <= (
           SELECT seq FROM plugin_logs WHERE workspace_id = $1 AND plugin = $2
           ORDER BY seq DESC OFFSET $3 LIMIT 1)`,
        [source.workspaceId, source.plugin, KEPT_LOGS_PER_PLUGIN],
      );
    },

    async list(access, plugin, options = {}) {
      requireRole(access, 'admin', "reading a plugin's logs");
      const [installed] = await db.query(
        'SELECT 1 FROM plugin_installations WHERE workspace_id = $1 AND name = $2',
        [access.workspaceId, plugin],
      );
      if (!installed)
        throw new PlatformError('PLUGIN_NOT_FOUND', `no plugin "${plugin}" is installed in this workspace`);
      const levels = LEVELS.slice(LEVELS.indexOf(options.level ?? 'debug'));
      const rows = await db.query<PluginLogEntry & { seq: string | number; created_at: Date | string }>(
        `SELECT seq, plugin, version, function, level, message, request_id, created_at FROM plugin_logs
         WHERE workspace_id = $1 AND plugin = $2 AND level = ANY($3::text[]) AND ($4::bigint IS NULL OR seq < $4)
         ORDER BY seq DESC LIMIT $5`,
        [access.workspaceId, plugin, levels, options.before ?? null, Math.min(options.limit ?? 100, 500)],
      );
      return rows.map((row) => ({
        ...row,
        seq: Number(row.seq),
        created_at: new Date(row.created_at).toISOString(),
      }));
    },
  };
}
