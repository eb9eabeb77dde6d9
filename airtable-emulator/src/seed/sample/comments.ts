import type { FixtureRecord } from '../fixture-schema.ts';
import { addDays } from './dates.ts';
import type { IdScope } from './id-scope.ts';
import type { SampleRow } from './rows.ts';

type FixtureComment = NonNullable<FixtureRecord['comments']>[number];

/** One comment of a scripted thread. */
export interface CommentSpec {
  authorId: string;
  text: string;
  /** Days after the record's creation. */
  afterDays: number;
  /** Position (in the same thread) of the comment this one replies to. */
  replyTo?: number;
}

/** A thread of comments on `row`, with stable ids and times after the record was created. */
export function commentThread(
  ids: IdScope,
  table: string,
  row: SampleRow,
  specs: readonly CommentSpec[],
): FixtureComment[] {
  const idAt = (position: number): string => ids.comment(table, row.index, position);
  return specs.map((spec, position) => {
    const comment: FixtureComment = {
      id: idAt(position),
      authorId: spec.authorId,
      text: spec.text,
      createdTime: addDays(row.createdTime, spec.afterDays),
      lastUpdatedTime: null,
    };
    if (spec.replyTo !== undefined) comment.parentCommentId = idAt(spec.replyTo);
    return comment;
  });
}

/**
 * The first rows created before `before` (in generation order): records old enough that
 * comments a few days after their creation still fall inside the sample window.
 */
export function earlyRows<T extends SampleRow>(rows: readonly T[], before: string, count: number): T[] {
  return rows.filter((row) => row.createdTime < before).slice(0, count);
}
