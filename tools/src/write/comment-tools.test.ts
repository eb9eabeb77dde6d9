import { describe, expect, it } from 'vitest';
import { createCommentTool } from './create-comment.ts';
import { listCommentsTool } from './list-comments.ts';
import { CRM, toolError, useWriteKit } from './test-kit.ts';

const kit = useWriteKit();

describe('create_comment / list_comments', () => {
  it('adds a comment and a reply, then lists them newest first', async () => {
    const [deal] = await kit.records('Deals');
    const id = deal?.id as string;
    const first = await createCommentTool.handler(
      { base_id: CRM, table: 'Deals', record_id: id, text: 'Called the client.' },
      kit.context(),
    );
    expect(first.text).toBe('Called the client.');
    const reply = await createCommentTool.handler(
      { base_id: CRM, table: 'Deals', record_id: id, text: 'Follow up Friday.', parent_comment_id: first.id },
      kit.context(),
    );
    expect(reply.parent_comment_id).toBe(first.id);
    const listed = await listCommentsTool.handler(
      { base_id: CRM, table: 'Deals', record_id: id },
      kit.context(),
    );
    expect(listed.comments.map((c) => c.id)).toEqual(expect.arrayContaining([first.id, reply.id]));
    const limited = await listCommentsTool.handler(
      { base_id: CRM, table: 'Deals', record_id: id, limit: 1 },
      kit.context({ readOnly: true }),
    );
    expect(limited.comments).toHaveLength(1);
    expect(limited.total).toBe(listed.total);
  });

  it('names a missing record and refuses writes in read-only deployments', async () => {
    const missing = await toolError(
      listCommentsTool.handler(
        { base_id: CRM, table: 'Deals', record_id: 'recDoesNotExist00' },
        kit.context(),
      ),
    );
    expect(missing.code).toBe('TOOL_INVALID_INPUT');
    const ro = await toolError(
      createCommentTool.handler(
        { base_id: CRM, table: 'Deals', record_id: 'recX', text: 'hi' },
        kit.context({ readOnly: true }),
      ),
    );
    expect(ro.code).toBe('TOOL_READ_ONLY');
    expect(listCommentsTool.writes).toBe(false);
    expect(listCommentsTool.annotations.readOnlyHint).toBe(true);
  });
});
