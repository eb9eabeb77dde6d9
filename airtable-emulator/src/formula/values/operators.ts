import { MAX_TEXT_LENGTH } from '../limits.ts';
import type { Operator } from '../syntax/tokens.ts';
import { FormulaError, type FormulaValue } from '../types.ts';
import { toNumber } from './coerce.ts';
import { compareWith } from './compare.ts';
import { toText } from './display.ts';

const DAY_MS = 86_400_000;

/** A text result, or an error when it would be absurdly long. */
export function textResult(text: string): string | FormulaError {
  return text.length > MAX_TEXT_LENGTH ? new FormulaError('#ERROR!', 'text result too long') : text;
}

/**
 * Applies a binary operator. Errors in either operand propagate. Division by zero gives
 * Infinity (or NaN for 0/0), which is what Airtable returns (as `{specialValue}` in the API).
 */
export function applyOperator(op: Operator, left: FormulaValue, right: FormulaValue): FormulaValue {
  if (left instanceof FormulaError) return left;
  if (right instanceof FormulaError) return right;
  switch (op) {
    case '&':
      return textResult(toText(left) + toText(right));
    case '+':
    case '-':
    case '*':
    case '/':
      return arithmetic(op, left, right);
    default:
      return compareWith(op, left, right);
  }
}

function arithmetic(op: '+' | '-' | '*' | '/', left: FormulaValue, right: FormulaValue): FormulaValue {
  // Subtracting dates is the spreadsheet idiom for "days between" ({End} - {Start}).
  if (op === '-' && left instanceof Date && right instanceof Date) {
    return (left.getTime() - right.getTime()) / DAY_MS;
  }
  const a = toNumber(left);
  if (a instanceof FormulaError) return a;
  const b = toNumber(right);
  if (b instanceof FormulaError) return b;
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
  }
}

/** Unary minus. */
export function negate(value: FormulaValue): FormulaValue {
  const n = toNumber(value);
  return n instanceof FormulaError ? n : 0 - n;
}
