import { MAX_TEXT_LENGTH } from '../limits.ts';
import { FormulaError, type FormulaValue } from '../types.ts';
import { numericText, toInteger } from '../values/coerce.ts';
import { toText } from '../values/display.ts';
import { textResult } from '../values/operators.ts';
import { arg, type FunctionSpec } from './function-spec.ts';

/** A one-argument text → text function. */
function mapText(name: string, fn: (text: string) => string): FunctionSpec {
  return {
    name,
    kind: 'eager',
    minArgs: 1,
    maxArgs: 1,
    returns: 'singleLineText',
    call: (args) => fn(toText(arg(args, 0))),
  };
}

/**
 * Where `needle` first occurs in `haystack` at or after the 1-based `start` (0 and 1 both mean
 * the beginning), 1-based; 0 when absent. Both FIND and SEARCH are case-sensitive in Airtable.
 */
function position(args: FormulaValue[]): number | FormulaError {
  const start = args.length > 2 ? toInteger(arg(args, 2)) : 0;
  if (start instanceof FormulaError) return start;
  return toText(arg(args, 1)).indexOf(toText(arg(args, 0)), Math.max(0, start - 1)) + 1;
}

/** Replaces the `nth` (1-based) occurrence of `from`, or every occurrence when nth is undefined. */
function substitute(text: string, from: string, to: string, nth: number | undefined): string {
  if (from === '') return text;
  if (nth === undefined) return text.split(from).join(to);
  let at = -1;
  for (let seen = 0; seen < nth; seen++) {
    at = text.indexOf(from, at + (seen === 0 ? 0 : from.length));
    if (at === -1) return text;
  }
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/**
 * VALUE(): Airtable reads past currency symbols and thousands separators ('$1,000' → 1000)
 * and treats a trailing '%' as a percentage.
 */
function value(input: FormulaValue): FormulaValue {
  if (typeof input === 'number') return input;
  const text = toText(input).trim();
  if (text === '') return null;
  const n = numericText(text) ?? numericText(text.replace(/[^0-9.+-]/g, ''));
  if (n === undefined) return new FormulaError('#ERROR!', `VALUE() cannot read '${text}' as a number`);
  return text.endsWith('%') ? n / 100 : n;
}

export const TEXT_FUNCTIONS: readonly FunctionSpec[] = [
  mapText('LOWER', (s) => s.toLowerCase()),
  mapText('UPPER', (s) => s.toUpperCase()),
  mapText('TRIM', (s) => s.trim()),
  mapText('ENCODE_URL_COMPONENT', (s) => encodeURIComponent(s)),
  {
    name: 'T',
    kind: 'eager',
    minArgs: 1,
    maxArgs: 1,
    returns: 'singleLineText',
    call: (args) => {
      const v = arg(args, 0);
      return typeof v === 'string' ? v : null;
    },
  },
  {
    name: 'LEN',
    kind: 'eager',
    minArgs: 1,
    maxArgs: 1,
    returns: 'number',
    call: (args) => toText(arg(args, 0)).length,
  },
  {
    name: 'CONCATENATE',
    kind: 'eager',
    minArgs: 1,
    maxArgs: Number.POSITIVE_INFINITY,
    returns: 'singleLineText',
    call: (args) => textResult(args.map(toText).join('')),
  },
  { name: 'FIND', kind: 'eager', minArgs: 2, maxArgs: 3, returns: 'number', call: position },
  {
    name: 'SEARCH',
    kind: 'eager',
    minArgs: 2,
    maxArgs: 3,
    returns: 'number',
    // Same search as FIND; only "not found" differs (blank instead of 0).
    call: (args) => {
      const found = position(args);
      return found === 0 ? null : found;
    },
  },
  {
    name: 'LEFT',
    kind: 'eager',
    minArgs: 2,
    maxArgs: 2,
    returns: 'singleLineText',
    call: (args) => {
      const n = toInteger(arg(args, 1));
      return n instanceof FormulaError ? n : toText(arg(args, 0)).slice(0, Math.max(0, n));
    },
  },
  {
    name: 'RIGHT',
    kind: 'eager',
    minArgs: 2,
    maxArgs: 2,
    returns: 'singleLineText',
    call: (args) => {
      const n = toInteger(arg(args, 1));
      if (n instanceof FormulaError) return n;
      const text = toText(arg(args, 0));
      return n <= 0 ? '' : text.slice(Math.max(0, text.length - n));
    },
  },
  {
    name: 'MID',
    kind: 'eager',
    minArgs: 3,
    maxArgs: 3,
    returns: 'singleLineText',
    call: (args) => {
      const start = toInteger(arg(args, 1));
      if (start instanceof FormulaError) return start;
      const count = toInteger(arg(args, 2));
      if (count instanceof FormulaError) return count;
      const from = Math.max(0, start - 1);
      return toText(arg(args, 0)).slice(from, from + Math.max(0, count));
    },
  },
  {
    name: 'SUBSTITUTE',
    kind: 'eager',
    minArgs: 3,
    maxArgs: 4,
    returns: 'singleLineText',
    call: (args) => {
      let nth: number | undefined;
      if (args.length > 3) {
        const n = toInteger(arg(args, 3));
        if (n instanceof FormulaError) return n;
        // A non-positive occurrence index matches nothing.
        if (n < 1) return toText(arg(args, 0));
        nth = n;
      }
      return textResult(substitute(toText(arg(args, 0)), toText(arg(args, 1)), toText(arg(args, 2)), nth));
    },
  },
  {
    name: 'REPLACE',
    kind: 'eager',
    minArgs: 4,
    maxArgs: 4,
    returns: 'singleLineText',
    call: (args) => {
      const start = toInteger(arg(args, 1));
      if (start instanceof FormulaError) return start;
      const count = toInteger(arg(args, 2));
      if (count instanceof FormulaError) return count;
      const text = toText(arg(args, 0));
      const from = Math.max(0, start - 1);
      return textResult(text.slice(0, from) + toText(arg(args, 3)) + text.slice(from + Math.max(0, count)));
    },
  },
  {
    name: 'REPT',
    kind: 'eager',
    minArgs: 2,
    maxArgs: 2,
    returns: 'singleLineText',
    call: (args) => {
      const n = toInteger(arg(args, 1));
      if (n instanceof FormulaError) return n;
      const text = toText(arg(args, 0));
      if (n <= 0 || text === '') return '';
      // Checked before repeating so a huge count never allocates.
      if (text.length * n > MAX_TEXT_LENGTH) return new FormulaError('#ERROR!', 'REPT() result too long');
      return text.repeat(n);
    },
  },
  {
    name: 'VALUE',
    kind: 'eager',
    minArgs: 1,
    maxArgs: 1,
    returns: 'number',
    call: (args) => value(arg(args, 0)),
  },
];
