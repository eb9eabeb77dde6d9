import { parseDateText } from '../dates/parse-date.ts';
import type { ComparisonOperator } from '../syntax/tokens.ts';
import { FormulaError, type FormulaValue } from '../types.ts';
import { numericText } from './coerce.ts';
import { toText } from './display.ts';

type Scalar = null | number | string | Date;

/** Lists compare by their display text (`{Tags} = 'a, b'`); booleans are the numbers 1 and 0. */
function scalar(value: Exclude<FormulaValue, FormulaError>): Scalar {
  if (Array.isArray(value)) return toText(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

function order(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number')
    return a === b ? 0 : a < b ? -1 : a > b ? 1 : Number.NaN;
  const x = String(a);
  const y = String(b);
  return x === y ? 0 : x < y ? -1 : 1;
}

/**
 * Orders two values the way Airtable's comparison operators do: negative, 0 or positive, or NaN
 * when they cannot be compared (only `!=` is then true).
 * - blank is 0 next to a number and '' next to text, so `{F} = ''` and `{F} = 0` hold for an empty cell;
 * - numbers compare numerically, and so does numeric text next to a number ('5' = 5);
 * - text compares case-sensitively, by UTF-16 code units;
 * - dates compare by instant, and text that reads as a date compares as that date.
 */
export function compareValues(left: FormulaValue, right: FormulaValue): number | FormulaError {
  if (left instanceof FormulaError) return left;
  if (right instanceof FormulaError) return right;
  const a = scalar(left);
  const b = scalar(right);
  if (a === null && b === null) return 0;
  if (a === null || b === null) {
    const other = (a ?? b) as Exclude<Scalar, null>;
    if (other instanceof Date) return Number.NaN;
    const blank = typeof other === 'number' ? 0 : '';
    return a === null ? order(blank, other) : order(other, blank);
  }
  if (a instanceof Date || b instanceof Date) return compareDates(a, b);
  if (typeof a === 'number' && typeof b === 'string') return order(a, numericText(b) ?? b);
  if (typeof a === 'string' && typeof b === 'number') return order(numericText(a) ?? a, b);
  return order(a, b);
}

function compareDates(a: Exclude<Scalar, null>, b: Exclude<Scalar, null>): number {
  const x = asInstant(a);
  const y = asInstant(b);
  if (x === undefined || y === undefined) return Number.NaN;
  return order(x, y);
}

function asInstant(value: Exclude<Scalar, null>): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string') return parseDateText(value)?.getTime();
  return undefined;
}

/** Applies a comparison operator; errors propagate. */
export function compareWith(
  op: ComparisonOperator,
  left: FormulaValue,
  right: FormulaValue,
): boolean | FormulaError {
  const c = compareValues(left, right);
  if (c instanceof FormulaError) return c;
  switch (op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '>':
      return c > 0;
    case '<=':
      return c <= 0;
    case '>=':
      return c >= 0;
  }
}
