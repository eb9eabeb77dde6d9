import { type GuardedWrite, ToolError } from '@airsuite/tools';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { isPlatformError } from '../errors.ts';
import type { WorkspaceAccess } from '../principal.ts';
import type { PluginManifest } from './manifest.ts';
import type { PluginRuntime } from './plugin-runtime.ts';

/**
 * What a before_write hook answers: let the write through, refuse it with a reason the model
 * reads, or change its records' fields (the same records, in the same order).
 */
const decisionSchema = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('allow') }),
  z.object({ decision: z.literal('refuse'), reason: z.string().min(1).max(2_000) }),
  z.object({
    decision: z.literal('adjust'),
    records: z.array(z.object({ fields: z.record(z.string(), z.unknown()) })),
  }),
]);

interface Guard {
  plugin: string;
  function: string;
  onFailure: 'refuse' | 'allow';
  order: number;
}

async function guardsOf(db: Database, workspaceId: string): Promise<Guard[]> {
  const rows = await db.query<{ name: string; manifest: PluginManifest }>(
    `SELECT i.name, v.manifest FROM plugin_installations i JOIN plugin_versions v ON v.id = i.version_id
     WHERE i.workspace_id = $1 AND i.status = 'enabled'`,
    [workspaceId],
  );
  return rows
    .flatMap((row) => {
      const hook = row.manifest.hooks.before_write;
      return hook
        ? [{ plugin: row.name, function: hook.function, onFailure: hook.on_failure, order: hook.order }]
        : [];
    })
    .sort((a, b) => a.order - b.order || a.plugin.localeCompare(b.plugin));
}

/** Records with a guard's fields laid over them; ids and order stay the write's own. */
function adjusted(
  records: readonly unknown[],
  changes: { fields: Record<string, unknown> }[],
  guard: Guard,
): unknown[] {
  if (changes.length !== records.length) {
    throw new ToolError(
      'TOOL_PLUGIN_FAILED',
      `write guard ${guard.plugin} answered ${changes.length} records for a write of ${records.length}; the write was not sent`,
    );
  }
  return records.map((record, i) => {
    const own = record as { fields?: Record<string, unknown> };
    return { ...own, fields: { ...own.fields, ...changes[i]?.fields } };
  });
}

/** A guard that failed (crashed, timed out, answered nonsense): the write goes ahead or stops, as its manifest chose. */
function failed(guard: Guard, why: string): ToolError | undefined {
  if (guard.onFailure === 'allow') return undefined;
  return new ToolError(
    'TOOL_PLUGIN_FAILED',
    `write guard ${guard.plugin} could not check this write (${why}), and it refuses writes it cannot check; nothing was written`,
    { plugin: guard.plugin },
  );
}

async function ask(
  runtime: PluginRuntime,
  access: WorkspaceAccess,
  guard: Guard,
  write: GuardedWrite,
  records: readonly unknown[],
) {
  const input = {
    tool: write.tool,
    kind: write.kind,
    base_id: write.baseId,
    table_id: write.tableId,
    records,
  };
  try {
    const parsed = decisionSchema.safeParse(await runtime.call(access, guard.plugin, guard.function, input));
    if (parsed.success) return parsed.data;
    return {
      decision: 'failed' as const,
      why: `its answer is not a decision: ${parsed.error.issues[0]?.message}`,
    };
  } catch (error) {
    if (isPlatformError(error))
      return { decision: 'failed' as const, why: `${error.code}: ${error.message}` };
    throw error;
  }
}

/**
 * The workspace's before_write hooks, in their order, as the tools' `beforeWrite`: each sees
 * the write (with the records as the guards before it left them) and may let it through,
 * change its fields, or refuse it; the first refusal stops the write before anything is sent.
 * A hook that fails refuses or allows, as its manifest says (refuse by default).
 */
export function createWriteGuards(db: Database, runtime: PluginRuntime) {
  return (access: WorkspaceAccess) =>
    async (write: GuardedWrite): Promise<{ records?: unknown[] }> => {
      const guards = await guardsOf(db, access.workspaceId);
      let records: readonly unknown[] = write.records;
      let changed = false;
      for (const guard of guards) {
        const answer = await ask(runtime, access, guard, write, records);
        if (answer.decision === 'refuse') {
          throw new ToolError('TOOL_PLUGIN_FAILED', `write refused by ${guard.plugin}: ${answer.reason}`, {
            plugin: guard.plugin,
            refused: true,
          });
        }
        if (answer.decision === 'failed') {
          const refusal = failed(guard, answer.why);
          if (refusal) throw refusal;
        }
        if (answer.decision === 'adjust' && write.kind !== 'delete') {
          records = adjusted(records, answer.records, guard);
          changed = true;
        }
      }
      return changed ? { records: [...records] } : {};
    };
}
