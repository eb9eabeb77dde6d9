import { FormulaError, type FormulaValue } from '../types.ts';
import { toText } from '../values/display.ts';
import { textResult } from '../values/operators.ts';
import { arg, type FunctionSpec } from './function-spec.ts';

/**
 * Airtable's REGEX_ functions use RE2 syntax. JavaScript's engine reads the common subset the
 * same way; RE2's leading inline flags such as `(?i)` are turned into JavaScript flags because
 * Node 20 does not understand them.
 */
function compile(pattern: string, global: boolean): RegExp | FormulaError {
  let source = pattern;
  let flags = global ? 'g' : '';
  const inline = /^\(\?([imsU]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    for (const flag of inline[1] ?? '') if ('ims'.includes(flag) && !flags.includes(flag)) flags += flag;
  }
  try {
    return new RegExp(source, flags);
  } catch {
    return new FormulaError('#ERROR!', `invalid regular expression '${pattern}'`);
  }
}

function regexCall(args: FormulaValue[], global: boolean, use: (text: string, re: RegExp) => FormulaValue) {
  const re = compile(toText(arg(args, 1)), global);
  return re instanceof FormulaError ? re : use(toText(arg(args, 0)), re);
}

export const REGEX_FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'REGEX_MATCH',
    kind: 'eager',
    minArgs: 2,
    maxArgs: 2,
    returns: 'number',
    call: (args) => regexCall(args, false, (text, re) => re.test(text)),
  },
  {
    name: 'REGEX_EXTRACT',
    kind: 'eager',
    minArgs: 2,
    maxArgs: 2,
    returns: 'singleLineText',
    // The whole first match; no match is an error, as in Airtable.
    call: (args) =>
      regexCall(
        args,
        false,
        (text, re) => re.exec(text)?.[0] ?? new FormulaError('#ERROR!', 'REGEX_EXTRACT() found no match'),
      ),
  },
  {
    name: 'REGEX_REPLACE',
    kind: 'eager',
    minArgs: 3,
    maxArgs: 3,
    returns: 'singleLineText',
    // Every match is replaced; `$1` in the replacement inserts a capture group.
    call: (args) => regexCall(args, true, (text, re) => textResult(text.replace(re, toText(arg(args, 2))))),
  },
];
