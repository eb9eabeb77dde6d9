import { FormulaError, type FormulaValue } from '../types.ts';

/**
 * A number as text: integers exactly, fractions to 15 significant digits so binary noise
 * (0.1 + 0.2) reads as people expect. No trailing zeros, no grouping, no locale.
 */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) || !Number.isFinite(n)) return String(n);
  return String(Number(n.toPrecision(15)));
}

/**
 * A value's display text, which is also its meaning in text contexts (`&`, text functions).
 * Blank is '', booleans are '1'/'0' (Airtable's TRUE() is the number 1), dates are ISO 8601 in UTC,
 * arrays are their items joined with ', ', errors are their display ('#ERROR!').
 */
export function toText(value: FormulaValue): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '#ERROR!' : value.toISOString();
  if (value instanceof FormulaError) return value.display;
  return value.map(toText).join(', ');
}
