import { type DateUnit, parseDateUnit } from '../dates/units.ts';
import { FormulaError, type FormulaValue } from '../types.ts';
import { toDate } from '../values/coerce.ts';
import { toText } from '../values/display.ts';
import { arg } from './function-spec.ts';

/**
 * Calls `fn` with the date at argument `i`. A blank date gives blank (`whenBlank`), an
 * unreadable one an error: date functions pass emptiness through rather than failing on it.
 */
export function withDate(
  args: FormulaValue[],
  i: number,
  fn: (date: Date) => FormulaValue,
  whenBlank: FormulaValue = null,
): FormulaValue {
  const date = toDate(arg(args, i));
  if (date === null) return whenBlank;
  return date instanceof FormulaError ? date : fn(date);
}

/** Like withDate, for two dates. */
export function withDates(
  args: FormulaValue[],
  fn: (a: Date, b: Date) => FormulaValue,
  whenBlank: FormulaValue = null,
): FormulaValue {
  return withDate(args, 0, (a) => withDate(args, 1, (b) => fn(a, b), whenBlank), whenBlank);
}

/** The unit named by argument `i`, or an error naming the bad specifier. */
export function unitArg(args: FormulaValue[], i: number): DateUnit | FormulaError {
  const text = toText(arg(args, i));
  return parseDateUnit(text) ?? new FormulaError('#ERROR!', `unknown date unit '${text}'`);
}
