import type { FormulaResultType } from './types.ts';

/**
 * What the compiler knows about an expression's result: a schema result type, or 'blank' for
 * BLANK() and ERROR(), which IF()/SWITCH() skip when choosing their type.
 */
export type StaticType = FormulaResultType | 'blank';

const NUMERIC = new Set(['number', 'percent', 'currency', 'rating', 'duration', 'autoNumber', 'count']);
const DATE_TIME = new Set(['dateTime', 'createdTime', 'lastModifiedTime']);
const MULTI = new Set([
  'multipleSelects',
  'multipleRecordLinks',
  'multipleAttachments',
  'multipleCollaborators',
  'multipleLookupValues',
]);

/** The result type a bare reference to a field of this Airtable type has. */
export function fieldResultType(fieldType: string): FormulaResultType {
  if (NUMERIC.has(fieldType)) return 'number';
  if (fieldType === 'date') return 'date';
  if (DATE_TIME.has(fieldType)) return 'dateTime';
  if (fieldType === 'checkbox') return 'checkbox';
  if (MULTI.has(fieldType)) return 'multipleLookupValues';
  return 'singleLineText';
}

/** The type of the first branch that is not blank: IF(x, BLANK(), 1) is a number formula. */
export function firstNonBlank(types: readonly StaticType[]): StaticType {
  return types.find((t) => t !== 'blank') ?? 'blank';
}
