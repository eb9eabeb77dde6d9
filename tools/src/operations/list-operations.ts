import { z } from 'zod';
import { defineTool } from '../core/define-tool.ts';
import { operationStoreOf } from './get-operation.ts';
import { operationSummaryOutput, summaryView } from './operation-view.ts';

export const listOperationsTool = defineTool({
  name: 'list_operations',
  title: 'List write operations',
  description: 'Recent records writes, newest first; state "interrupted" finds ones cut short.',
  inputSchema: z.object({
    state: z.enum(['running', 'succeeded', 'partial', 'failed', 'interrupted']).optional(),
    limit: z.number().int().min(1).max(100).optional(),
  }),
  outputSchema: z.object({ operations: z.array(operationSummaryOutput) }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  writes: false,
  withWrites: true,
  // Operations come from writes: who may write may read what the writes did.
  minimumRole: 'editor',
  async handler(input, ctx) {
    const store = operationStoreOf(ctx);
    const now = new Date();
    const operations = await store.list({
      ...(input.state ? { state: input.state } : {}),
      ...(input.limit ? { limit: input.limit } : {}),
    });
    return { operations: operations.map((o) => summaryView(o, now)) };
  },
});
