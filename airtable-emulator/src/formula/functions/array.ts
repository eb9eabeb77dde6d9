import { FormulaError, type FormulaValue } from '../types.ts';
import { flatten, toInteger } from '../values/coerce.ts';
import { toText } from '../values/display.ts';
import { textResult } from '../values/operators.ts';
import { arg, type FunctionSpec } from './function-spec.ts';

/** The items of an array argument; a single value is a list of one, blank an empty list. */
function items(value: FormulaValue): FormulaValue[] {
  if (value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Identity for ARRAYUNIQUE: same type and value (dates by instant). */
function identity(value: FormulaValue): string {
  if (value instanceof Date) return `date:${value.getTime()}`;
  if (Array.isArray(value)) return `list:${JSON.stringify(value.map(identity))}`;
  if (value instanceof FormulaError) return `error:${value.display}`;
  return `${typeof value}:${String(value)}`;
}

/** ARRAYSLICE's 1-based, end-inclusive bounds; negative positions count from the end (-1 is the last). */
function slice(list: FormulaValue[], start: number, end: number | undefined): FormulaValue[] {
  const from = start > 0 ? start - 1 : start < 0 ? Math.max(0, list.length + start) : 0;
  const to = end === undefined ? list.length : end > 0 ? end : list.length + end + 1;
  return list.slice(from, Math.max(from, to));
}

export const ARRAY_FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'ARRAYJOIN',
    kind: 'eager',
    minArgs: 1,
    maxArgs: 2,
    returns: 'singleLineText',
    call: (args) => {
      const separator = args.length > 1 ? toText(arg(args, 1)) : ', ';
      return textResult(
        flatten(items(arg(args, 0)))
          .map(toText)
          .join(separator),
      );
    },
  },
  {
    name: 'ARRAYUNIQUE',
    kind: 'eager',
    minArgs: 1,
    maxArgs: 1,
    returns: 'multipleLookupValues',
    call: (args) => {
      const seen = new Set<string>();
      return items(arg(args, 0)).filter((item) => {
        const key = identity(item);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    },
  },
  {
    name: 'ARRAYCOMPACT',
    kind: 'eager',
    minArgs: 1,
    maxArgs: 1,
    returns: 'multipleLookupValues',
    // Drops blanks and empty text; keeps false, 0 and ' '.
    call: (args) => items(arg(args, 0)).filter((item) => item !== null && item !== ''),
  },
  {
    name: 'ARRAYFLATTEN',
    kind: 'eager',
    minArgs: 1,
    maxArgs: 1,
    returns: 'multipleLookupValues',
    call: (args) => flatten(items(arg(args, 0))),
  },
  {
    name: 'ARRAYSLICE',
    kind: 'eager',
    minArgs: 2,
    maxArgs: 3,
    returns: 'multipleLookupValues',
    call: (args) => {
      const start = toInteger(arg(args, 1));
      if (start instanceof FormulaError) return start;
      let end: number | undefined;
      if (args.length > 2 && arg(args, 2) !== null) {
        const n = toInteger(arg(args, 2));
        if (n instanceof FormulaError) return n;
        end = n;
      }
      return slice(items(arg(args, 0)), start, end);
    },
  },
];
