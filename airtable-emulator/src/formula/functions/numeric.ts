import { FormulaError, type FormulaValue } from '../types.ts';
import { toInteger, toNumber } from '../values/coerce.ts';
import { arg, type FunctionSpec } from './function-spec.ts';

/**
 * Numeric functions. Airtable computes with JavaScript numbers and Math: ROUND breaks ties
 * toward +infinity (its docs say so; that is Math.round), MOD keeps the dividend's sign, and
 * impossible results are NaN rather than errors (SQRT(-1)).
 */

/** `n × 10^places`, done on the decimal digits so 1.005 shifts to exactly 100.5. */
function shift(n: number, places: number): number {
  const [mantissa, exponent = '0'] = String(n).split('e');
  return Number(`${mantissa}e${Number(exponent) + places}`);
}

/** Rounds to `places` decimals (negative: to tens, hundreds, ...) with the given integer rounding. */
function roundTo(args: FormulaValue[], integerRound: (x: number) => number): number | FormulaError {
  const n = toNumber(arg(args, 0));
  if (n instanceof FormulaError) return n;
  const places = args.length > 1 ? toInteger(arg(args, 1)) : 0;
  if (places instanceof FormulaError) return places;
  if (!Number.isFinite(n)) return n;
  return shift(integerRound(shift(n, places)), -places) + 0;
}

const awayFromZero = (x: number) => (x < 0 ? -Math.ceil(-x) : Math.ceil(x));

/** Rounds to a multiple of `significance` (default 1), tolerating binary noise in the quotient (0.3 / 0.1). */
function toMultiple(args: FormulaValue[], integerRound: (x: number) => number): number | FormulaError {
  const n = toNumber(arg(args, 0));
  if (n instanceof FormulaError) return n;
  const significance = args.length > 1 ? toNumber(arg(args, 1)) : 1;
  if (significance instanceof FormulaError) return significance;
  if (significance === 0) return 0;
  const quotient = n / significance;
  const nearest = Math.round(quotient);
  const snapped = Math.abs(quotient - nearest) < 1e-9 ? nearest : quotient;
  return Number((integerRound(snapped) * significance).toPrecision(15)) + 0;
}

/** A function of numeric arguments (all required ones first, then optional ones). */
function numeric(
  name: string,
  minArgs: number,
  maxArgs: number,
  fn: (...values: number[]) => number,
): FunctionSpec {
  return {
    name,
    kind: 'eager',
    minArgs,
    maxArgs,
    returns: 'number',
    call: (args) => {
      const values: number[] = [];
      for (const a of args) {
        const n = toNumber(a);
        if (n instanceof FormulaError) return n;
        values.push(n);
      }
      return fn(...values);
    },
  };
}

/** To the nearest even (or odd) integer, away from zero. */
function toParity(n: number, odd: boolean): number {
  const sign = n < 0 ? -1 : 1;
  let m = Math.ceil(Math.abs(n));
  if ((m % 2 === 1) !== odd) m++;
  return sign * m;
}

export const NUMERIC_FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'ROUND',
    kind: 'eager',
    minArgs: 1,
    maxArgs: 2,
    returns: 'number',
    call: (a) => roundTo(a, Math.round),
  },
  {
    name: 'ROUNDUP',
    kind: 'eager',
    minArgs: 1,
    maxArgs: 2,
    returns: 'number',
    call: (a) => roundTo(a, awayFromZero),
  },
  {
    name: 'ROUNDDOWN',
    kind: 'eager',
    minArgs: 1,
    maxArgs: 2,
    returns: 'number',
    call: (a) => roundTo(a, Math.trunc),
  },
  {
    name: 'CEILING',
    kind: 'eager',
    minArgs: 1,
    maxArgs: 2,
    returns: 'number',
    call: (a) => toMultiple(a, Math.ceil),
  },
  {
    name: 'FLOOR',
    kind: 'eager',
    minArgs: 1,
    maxArgs: 2,
    returns: 'number',
    call: (a) => toMultiple(a, Math.floor),
  },
  numeric('ABS', 1, 1, Math.abs),
  numeric('INT', 1, 1, (n) => Math.floor(n) + 0),
  numeric('MOD', 2, 2, (n, d = 1) => (n % d) + 0),
  numeric('POWER', 2, 2, (b, e = 1) => b ** e),
  numeric('SQRT', 1, 1, Math.sqrt),
  numeric('EXP', 1, 1, Math.exp),
  numeric('LOG', 1, 2, (n, base = 10) => Math.log(n) / Math.log(base)),
  numeric('LOG10', 1, 1, Math.log10),
  numeric('EVEN', 1, 1, (n) => toParity(n, false)),
  numeric('ODD', 1, 1, (n) => toParity(n, true)),
];
