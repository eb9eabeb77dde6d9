import { z } from 'zod';
import { assertWritable } from '../airtable/access.ts';
import { loadTable } from '../airtable/schema.ts';
import { defineTool } from '../core/define-tool.ts';
import { baseIdInput, recordIdInput, tableInput } from '../read/shared.ts';
import { commentSchema, friendlyComment, onRecord } from './comment-record.ts';

export const createCommentTool = defineTool({
  name: 'create_comment',
  title: 'Create comment',
  description: 'Comment on a record, or reply (parent_comment_id). Mention users as @[usrXXX].',
  inputSchema: z.object({
    base_id: baseIdInput,
    table: tableInput,
    record_id: recordIdInput,
    text: z.string().min(1),
    parent_comment_id: z.string().optional(),
  }),
  outputSchema: commentSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  writes: true,
  async handler(input, ctx) {
    assertWritable(ctx.policy);
    const { table } = await loadTable(ctx, input.base_id, input.table);
    const comment = await onRecord(input.base_id, input.record_id, () =>
      ctx.airtable.createComment(input.base_id, table.id, input.record_id, input.text, {
        signal: ctx.signal,
        ...(input.parent_comment_id ? { parentCommentId: input.parent_comment_id } : {}),
      }),
    );
    return friendlyComment(comment);
  },
});
