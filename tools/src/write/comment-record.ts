import { isGatewayError, type RecordComment } from '@airsuite/airtable-gateway';
import { z } from 'zod';
import { toToolError } from '../airtable/call-airtable.ts';
import { ToolError } from '../core/tool-error.ts';

export const commentSchema = z.object({
  id: z.string(),
  author: z.string(),
  text: z.string(),
  created_time: z.string(),
  parent_comment_id: z.string().optional(),
});

export function friendlyComment(c: RecordComment): z.output<typeof commentSchema> {
  return {
    id: c.id,
    author: c.author.name ?? c.author.email ?? c.author.id,
    text: c.text,
    created_time: c.createdTime,
    ...(c.parentCommentId ? { parent_comment_id: c.parentCommentId } : {}),
  };
}

/** A comments call whose 404 means the record (not the base) is missing. */
export async function onRecord<T>(baseId: string, recordId: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isGatewayError(error) && error.upstreamStatus === 404)
      throw new ToolError(
        'TOOL_INVALID_INPUT',
        `Record ${recordId} was not found in that table. Check the id with list_records.`,
        { recordId },
      );
    throw toToolError(error, { baseId });
  }
}
