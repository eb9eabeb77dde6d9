import { firstNonBlank } from '../static-type.ts';
import { FormulaError } from '../types.ts';
import { compareValues } from '../values/compare.ts';
import { isTruthy } from '../values/truthy.ts';
import { arg, type FunctionSpec } from './function-spec.ts';

/**
 * Logical functions. Their results are booleans in the formula domain; the schema reports them
 * as numbers because Airtable shows TRUE as 1 and FALSE as 0.
 */
export const LOGICAL_FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'IF',
    kind: 'lazy',
    minArgs: 2,
    maxArgs: 3,
    returns: (types) => firstNonBlank(types.slice(1)),
    call([condition, whenTrue, whenFalse]) {
      const test = condition?.() ?? null;
      if (test instanceof FormulaError) return test;
      const branch = isTruthy(test) ? whenTrue : whenFalse;
      return branch ? branch() : null;
    },
  },
  {
    name: 'SWITCH',
    kind: 'lazy',
    minArgs: 2,
    maxArgs: Number.POSITIVE_INFINITY,
    // Results sit at 2, 4, ...; the default, when present, is last.
    returns: (types) =>
      firstNonBlank(types.filter((_, i) => i > 0 && (i % 2 === 0 || i === types.length - 1))),
    call([expression, ...rest]) {
      const value = expression?.() ?? null;
      if (value instanceof FormulaError) return value;
      let i = 0;
      for (; i + 1 < rest.length; i += 2) {
        const pattern = rest[i]?.() ?? null;
        if (pattern instanceof FormulaError) return pattern;
        if (compareValues(value, pattern) === 0) return rest[i + 1]?.() ?? null;
      }
      // An odd number of trailing arguments means the last one is the default.
      const fallback = rest[i];
      return fallback ? fallback() : null;
    },
  },
  {
    name: 'AND',
    kind: 'eager',
    minArgs: 1,
    maxArgs: Number.POSITIVE_INFINITY,
    returns: 'number',
    call: (args) => args.every(isTruthy),
  },
  {
    name: 'OR',
    kind: 'eager',
    minArgs: 1,
    maxArgs: Number.POSITIVE_INFINITY,
    returns: 'number',
    call: (args) => args.some(isTruthy),
  },
  {
    name: 'XOR',
    kind: 'eager',
    minArgs: 1,
    maxArgs: Number.POSITIVE_INFINITY,
    returns: 'number',
    call: (args) => args.filter(isTruthy).length % 2 === 1,
  },
  {
    name: 'NOT',
    kind: 'eager',
    minArgs: 1,
    maxArgs: 1,
    returns: 'number',
    call: (args) => !isTruthy(arg(args, 0)),
  },
  { name: 'TRUE', kind: 'eager', minArgs: 0, maxArgs: 0, returns: 'number', call: () => true },
  { name: 'FALSE', kind: 'eager', minArgs: 0, maxArgs: 0, returns: 'number', call: () => false },
  { name: 'BLANK', kind: 'eager', minArgs: 0, maxArgs: 0, returns: 'blank', call: () => null },
  {
    name: 'ERROR',
    kind: 'eager',
    minArgs: 0,
    maxArgs: 1,
    returns: 'blank',
    call: () => new FormulaError('#ERROR!', 'ERROR() was called'),
  },
  {
    name: 'ISERROR',
    kind: 'eager',
    acceptsErrors: true,
    minArgs: 1,
    maxArgs: 1,
    returns: 'number',
    call: (args) => arg(args, 0) instanceof FormulaError,
  },
];
