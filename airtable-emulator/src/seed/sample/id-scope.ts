import { stableId } from './ids.ts';

/**
 * Stable ids for everything inside one base, derived from names and positions
 * (e.g. the field "Stage" of table "Deals"), so ids never depend on generation order.
 */
export interface IdScope {
  readonly base: string;
  table(table: string): string;
  field(table: string, field: string): string;
  view(table: string, view: string): string;
  /** The record at `index` (0-based, generation order) of `table`. */
  record(table: string, index: number): string;
  choice(table: string, field: string, choice: string): string;
  attachment(table: string, recordIndex: number, position: number): string;
  comment(table: string, recordIndex: number, position: number): string;
}

export function createIdScope(baseKey: string): IdScope {
  const key = (...parts: (string | number)[]): string => [baseKey, ...parts].join('/');
  return {
    base: stableId('app', baseKey),
    table: (table) => stableId('tbl', key(table)),
    field: (table, field) => stableId('fld', key(table, field)),
    view: (table, view) => stableId('viw', key(table, view)),
    record: (table, index) => stableId('rec', key(table, index)),
    choice: (table, field, choice) => stableId('sel', key(table, field, choice)),
    attachment: (table, recordIndex, position) => stableId('att', key(table, recordIndex, position)),
    comment: (table, recordIndex, position) => stableId('com', key(table, recordIndex, position)),
  };
}
