import { parseDateText } from '../dates/parse-date.ts';
import { FormulaError, type FormulaValue } from '../types.ts';
import { toText } from './display.ts';

/** A decimal number as people type it: optional sign, digits with an optional fraction, optional exponent. */
const NUMERIC_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/** The number a text spells, or undefined. Surrounding spaces are ignored; '' spells nothing. */
export function numericText(text: string): number | undefined {
  const trimmed = text.trim();
  return NUMERIC_TEXT.test(trimmed) ? Number(trimmed) : undefined;
}

/**
 * A value in a numeric context (arithmetic, numeric functions). Blank and '' are 0, booleans
 * 1/0, numeric text its number; a one-item array (a lookup of one value) is its item.
 * Other text, dates and longer arrays are errors.
 */
export function toNumber(value: FormulaValue): number | FormulaError {
  if (value === null) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof FormulaError) return value;
  if (typeof value === 'string') {
    if (value === '') return 0;
    return numericText(value) ?? new FormulaError('#ERROR!', `'${value}' is not a number`);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return 0;
    if (value.length === 1) return toNumber(value[0] ?? null);
    return new FormulaError('#ERROR!', 'a list of several values is not a number');
  }
  return new FormulaError('#ERROR!', 'a date is not a number; use DATETIME_DIFF()');
}

/**
 * A value where a date is expected. Blank stays blank (date functions give blank for blank);
 * dates pass through; text is read as ISO 8601 or another common format; a one-item array is
 * its item. Anything else is an error.
 */
export function toDate(value: FormulaValue): Date | null | FormulaError {
  if (value === null || value instanceof FormulaError) return value;
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? new FormulaError('#ERROR!', 'invalid date') : value;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return null;
    if (value.length === 1) return toDate(value[0] ?? null);
  }
  const text = toText(value);
  if (text === '') return null;
  return parseDateText(text) ?? new FormulaError('#ERROR!', `'${text}' is not a date`);
}

/** A whole number argument (lengths, positions, counts): numeric, then truncated toward zero. */
export function toInteger(value: FormulaValue): number | FormulaError {
  const n = toNumber(value);
  return n instanceof FormulaError ? n : Math.trunc(n);
}

/** Arrays flattened to their leaves, at any depth; other values are a list of themselves. */
export function flatten(values: readonly FormulaValue[]): FormulaValue[] {
  const out: FormulaValue[] = [];
  // An explicit stack instead of recursion: nesting depth comes from data, not from the formula.
  const stack: FormulaValue[] = [...values].reverse();
  while (stack.length > 0) {
    const item = stack.pop() as FormulaValue;
    if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) stack.push(item[i] ?? null);
    } else {
      out.push(item);
    }
  }
  return out;
}

/** The first error among values (searching inside arrays), if any. */
export function firstError(values: readonly FormulaValue[]): FormulaError | undefined {
  return flatten(values).find((v): v is FormulaError => v instanceof FormulaError);
}
