import { z } from 'zod';
import { loadTable } from '../airtable/schema.ts';
import { defineTool } from '../core/define-tool.ts';
import { baseIdInput, recordIdInput, tableInput } from '../read/shared.ts';
import { friendlyComment, onRecord } from './comment-record.ts';

export const DEFAULT_COMMENT_LIMIT = 50;

export const listCommentsTool = defineTool({
  name: 'list_comments',
  title: 'List comments',
  description: "A record's comments, newest first, with author, text and time.",
  inputSchema: z.object({
    base_id: baseIdInput,
    table: tableInput,
    record_id: recordIdInput,
    limit: z.number().int().min(1).max(500).optional().describe(`Default ${DEFAULT_COMMENT_LIMIT}`),
  }),
  outputSchema: z.object({ comments: z.array(z.looseObject({ id: z.string() })), total: z.number() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  writes: false,
  async handler(input, ctx) {
    const { table } = await loadTable(ctx, input.base_id, input.table);
    const comments = await onRecord(input.base_id, input.record_id, () =>
      ctx.airtable.listComments(input.base_id, table.id, input.record_id, { signal: ctx.signal }),
    );
    return {
      comments: comments.slice(0, input.limit ?? DEFAULT_COMMENT_LIMIT).map(friendlyComment),
      total: comments.length,
    };
  },
});
