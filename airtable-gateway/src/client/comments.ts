import { callEngine, collectPages, type EngineCaller } from './engine-call.ts';
import type { CallOptions, RecordComment } from './types.ts';

/** Airtable's record-comments API, called straight through the engine. */
export function commentsApi(caller: EngineCaller) {
  const comments = (baseId: string, table: string, recordId: string) => [baseId, table, recordId, 'comments'];
  return {
    /** Every comment of a record, newest first (all pages). */
    listComments: (baseId: string, table: string, recordId: string, options: CallOptions = {}) =>
      collectPages<RecordComment>(
        (offset) =>
          callEngine(caller, {
            method: 'GET',
            segments: comments(baseId, table, recordId),
            query: { offset },
            signal: options.signal,
          }),
        'comments',
      ),

    createComment: (
      baseId: string,
      table: string,
      recordId: string,
      text: string,
      options: CallOptions & { parentCommentId?: string } = {},
    ) =>
      callEngine<RecordComment>(caller, {
        method: 'POST',
        segments: comments(baseId, table, recordId),
        body:
          options.parentCommentId === undefined
            ? { text }
            : { text, parentCommentId: options.parentCommentId },
        signal: options.signal,
      }),

    updateComment: (
      baseId: string,
      table: string,
      recordId: string,
      commentId: string,
      text: string,
      options: CallOptions = {},
    ) =>
      callEngine<RecordComment>(caller, {
        method: 'PATCH',
        segments: [...comments(baseId, table, recordId), commentId],
        body: { text },
        signal: options.signal,
      }),

    deleteComment: (
      baseId: string,
      table: string,
      recordId: string,
      commentId: string,
      options: CallOptions = {},
    ) =>
      callEngine<{ id: string; deleted: boolean }>(caller, {
        method: 'DELETE',
        segments: [...comments(baseId, table, recordId), commentId],
        signal: options.signal,
      }),
  };
}
