import { z } from 'zod';
import { defineTool } from '../core/define-tool.ts';
import type { ToolContext } from '../core/tool-context.ts';
import { ToolError } from '../core/tool-error.ts';
import { effectiveState, type OperationStore } from './operation-store.ts';
import { operationOutput, operationView } from './operation-view.ts';
import { settleUncertainChunk } from './settle-operation.ts';

export function operationStoreOf(ctx: ToolContext): OperationStore {
  if (!ctx.operations)
    throw new ToolError('TOOL_UNAVAILABLE', 'this server keeps no record of write operations.');
  return ctx.operations;
}

export const getOperationTool = defineTool({
  name: 'get_operation',
  title: 'Get a write operation',
  description:
    'What a records write did, record by record (by operation_id or idempotency_key). Use after a lost answer, before writing again.',
  inputSchema: z
    .object({
      operation_id: z.string().min(1).max(255).optional(),
      idempotency_key: z.string().min(1).max(255).optional(),
    })
    .refine((i) => (i.operation_id === undefined) !== (i.idempotency_key === undefined), {
      message: 'give operation_id or idempotency_key (one of them)',
    }),
  outputSchema: operationOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  writes: false,
  withWrites: true,
  // Operations come from writes: who may write may read what the writes did.
  minimumRole: 'editor',
  async handler(input, ctx) {
    const store = operationStoreOf(ctx);
    const ref = input.operation_id
      ? { id: input.operation_id }
      : { idempotencyKey: input.idempotency_key ?? '' };
    const found = await store.get(ref);
    if (!found)
      throw new ToolError(
        'TOOL_OPERATION_NOT_FOUND',
        `no operation ${input.operation_id ? `with id ${input.operation_id}` : `with idempotency_key "${input.idempotency_key}"`} in this workspace.`,
      );
    // A dead runner's last chunk is read back from Airtable, so the list is exact.
    const operation =
      effectiveState(found) === 'interrupted' ? await settleUncertainChunk(ctx, store, found) : found;
    return operationView(operation);
  },
});
