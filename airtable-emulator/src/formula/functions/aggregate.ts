import type { StaticType } from '../static-type.ts';
import { FormulaError, type FormulaValue } from '../types.ts';
import { flatten, numericText } from '../values/coerce.ts';
import type { FunctionSpec } from './function-spec.ts';

/**
 * The numbers among arguments and the items of list arguments (lookups, rollup values).
 * Blanks and text that is not a number are skipped, as spreadsheets skip them in ranges;
 * booleans count as 1/0. An error anywhere is the result.
 */
function numbersIn(args: FormulaValue[]): { numbers: number[]; dates: Date[] } | FormulaError {
  const numbers: number[] = [];
  const dates: Date[] = [];
  for (const item of flatten(args)) {
    if (item instanceof FormulaError) return item;
    if (typeof item === 'number') numbers.push(item);
    else if (typeof item === 'boolean') numbers.push(item ? 1 : 0);
    else if (item instanceof Date) dates.push(item);
    else if (typeof item === 'string') {
      const n = numericText(item);
      if (n !== undefined) numbers.push(n);
    }
  }
  return { numbers, dates };
}

/** MAX and MIN: over numbers, or over dates when there are only dates (a rollup of a date field). */
function extreme(name: 'MAX' | 'MIN'): FunctionSpec {
  // reduce, not Math.max(...xs): spreading a long lookup would overflow the argument stack.
  const pick = (xs: number[]) =>
    xs.reduce((best, x) => (name === 'MAX' ? Math.max(best, x) : Math.min(best, x)));
  return {
    name,
    kind: 'eager',
    minArgs: 1,
    maxArgs: Number.POSITIVE_INFINITY,
    returns: (types: StaticType[]) =>
      types.length > 0 && types.every((t) => t === 'date' || t === 'dateTime') ? 'dateTime' : 'number',
    call: (args) => {
      const found = numbersIn(args);
      if (found instanceof FormulaError) return found;
      if (found.numbers.length === 0 && found.dates.length > 0) {
        const ms = pick(found.dates.map((d) => d.getTime()));
        return found.dates.find((d) => d.getTime() === ms) ?? null;
      }
      return found.numbers.length === 0 ? 0 : pick(found.numbers);
    },
  };
}

function counting(name: string, counts: (item: FormulaValue) => boolean): FunctionSpec {
  return {
    name,
    kind: 'eager',
    minArgs: 1,
    maxArgs: Number.POSITIVE_INFINITY,
    returns: 'number',
    call: (args) => flatten(args).filter(counts).length,
  };
}

function sum(numbers: number[]): number {
  return numbers.reduce((total, n) => total + n, 0);
}

export const AGGREGATE_FUNCTIONS: readonly FunctionSpec[] = [
  extreme('MAX'),
  extreme('MIN'),
  {
    name: 'SUM',
    kind: 'eager',
    minArgs: 1,
    maxArgs: Number.POSITIVE_INFINITY,
    returns: 'number',
    call: (args) => {
      const found = numbersIn(args);
      return found instanceof FormulaError ? found : sum(found.numbers);
    },
  },
  {
    name: 'AVERAGE',
    kind: 'eager',
    minArgs: 1,
    maxArgs: Number.POSITIVE_INFINITY,
    returns: 'number',
    // No numbers at all gives NaN, which Airtable reports as {specialValue: 'NaN'}.
    call: (args) => {
      const found = numbersIn(args);
      return found instanceof FormulaError ? found : sum(found.numbers) / found.numbers.length;
    },
  },
  counting('COUNT', (item) => typeof item === 'number'),
  counting('COUNTA', (item) => item !== null && item !== ''),
  counting('COUNTALL', () => true),
];
