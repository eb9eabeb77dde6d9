import {
  createCatalogue,
  OPEN_POLICY,
  runTool,
  type ToolContext,
  type ToolDefinition,
} from '@airsuite/tools';
import { z } from 'zod';
import type { HostAnswer } from './plugin-instance.ts';

/** The write tools a plugin's records_write runs: the same tools, operations and events as any caller's. */
const TOOL_OF = { create: 'create_records', update: 'update_records', delete: 'delete_records' } as const;
const writeTools = new Map<string, ToolDefinition>(
  createCatalogue(OPEN_POLICY)
    .filter((tool) => Object.values(TOOL_OF).includes(tool.name as never))
    .map((tool) => [tool.name, tool]),
);

export const recordsWriteRequest = z.object({
  action: z.enum(['create', 'update', 'delete']),
  base: z.string(),
  table: z.string().min(1),
  /** `{ fields }` to create, `{ id, fields }` to update, record ids to delete. */
  records: z.array(z.unknown()).min(1),
  idempotency_key: z.string().optional(),
});

export type RecordsWriteRequest = z.output<typeof recordsWriteRequest>;

/** The tool context a plugin's writes run in: the calling access's, as the catalogue's tools get it. */
export type WriteContextFor = () => Promise<Omit<ToolContext, 'signal' | 'progress' | 'log'>>;

/**
 * Runs a plugin's write as the matching write tool through runTool: validated, guarded by the
 * workspace's before_write hooks, recorded as an operation with its events, audited. The
 * tool's own outcome becomes the answer (its code and message on failure).
 */
export async function runRecordsWrite(
  request: RecordsWriteRequest,
  contextFor: WriteContextFor,
  signal?: AbortSignal,
): Promise<HostAnswer> {
  const tool = writeTools.get(TOOL_OF[request.action]) as ToolDefinition;
  const input =
    request.action === 'delete'
      ? { base_id: request.base, table: request.table, record_ids: request.records }
      : { base_id: request.base, table: request.table, records: request.records };
  const context: ToolContext = {
    ...(await contextFor()),
    signal: signal ?? new AbortController().signal,
    progress: () => {},
    log: () => {},
  };
  const outcome = await runTool(
    tool,
    { ...input, ...(request.idempotency_key ? { idempotency_key: request.idempotency_key } : {}) },
    context,
  );
  if (outcome.ok) return { ok: true, result: outcome.output };
  return { ok: false, error: { code: outcome.code, message: outcome.message } };
}
