import type { FixtureRecord } from '../fixture-schema.ts';
import { compactCells } from './field-builders.ts';

/** A generated record before links and comments are attached. Cells are keyed by field name. */
export interface SampleRow {
  /** Position in generation order; the record id is derived from it. */
  index: number;
  id: string;
  createdTime: string;
  cells: Record<string, unknown>;
}

type FixtureComment = NonNullable<FixtureRecord['comments']>[number];

/**
 * Turns rows into fixture records, ordered by creation time (so autoNumber follows creation),
 * dropping empty cells and attaching comments by record id.
 */
export function toFixtureRecords(
  rows: readonly SampleRow[],
  comments: ReadonlyMap<string, FixtureComment[]> = new Map(),
): FixtureRecord[] {
  return [...rows]
    .sort((a, b) => a.createdTime.localeCompare(b.createdTime) || a.index - b.index)
    .map((row) => {
      const record: FixtureRecord = {
        id: row.id,
        createdTime: row.createdTime,
        fields: compactCells(row.cells),
      };
      const thread = comments.get(row.id);
      if (thread !== undefined && thread.length > 0) record.comments = thread;
      return record;
    });
}

/** Ids of `rows` whose `key` equals `value`, in generation order: the other side of a link. */
export function idsWhere<T extends SampleRow>(
  rows: readonly T[],
  key: (row: T) => number | undefined,
  value: number,
): string[] {
  return rows.filter((row) => key(row) === value).map((row) => row.id);
}

/** Lower-case, dash-separated ASCII: "The \"Best\" Widget Co." → "the-best-widget-co". */
export function slugify(text: string): string {
  return text
    .normalize('NFD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
