import { FormulaError, type FormulaValue } from '../types.ts';

/**
 * Airtable's truthiness, as filterByFormula applies it: a record is dropped when the formula
 * gives 0, false, '', NaN, [], blank or an error. Everything else (including ' ' and dates) is true.
 */
export function isTruthy(value: FormulaValue): boolean {
  if (value === null || value instanceof FormulaError) return false;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (typeof value === 'string') return value.length > 0;
  if (typeof value === 'boolean') return value;
  if (value instanceof Date) return !Number.isNaN(value.getTime());
  return value.length > 0;
}
