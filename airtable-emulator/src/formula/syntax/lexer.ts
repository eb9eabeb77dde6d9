import { describeChar, syntaxError } from './syntax-error.ts';
import type { Operator, Token } from './tokens.ts';

/** Word characters of a bare field name or function name (letters in any script, digits, underscore). */
const WORD_START = /[\p{L}_]/u;
const WORD_PART = /[\p{L}\p{N}_]/u;
const DIGIT = /[0-9]/;
const SPACE = /\s/;

/** Two-character operators first, so `<=` never lexes as `<` then `=`. `<>` is Excel's spelling of `!=`. */
const OPERATORS: ReadonlyArray<[string, Operator]> = [
  ['<=', '<='],
  ['>=', '>='],
  ['!=', '!='],
  ['<>', '!='],
  ['=', '='],
  ['<', '<'],
  ['>', '>'],
  ['+', '+'],
  ['-', '-'],
  ['*', '*'],
  ['/', '/'],
  ['&', '&'],
];

/** Escapes that mean a control character inside string literals; any other `\x` is `x`. */
const STRING_ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r' };

/** Splits formula text into tokens; the last token is always `end`. Throws FormulaSyntaxError. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (SPACE.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: ch, pos: i });
      i++;
    } else if (ch === "'" || ch === '"') {
      i = readString(text, i, tokens);
    } else if (ch === '{') {
      i = readField(text, i, tokens);
    } else if (DIGIT.test(ch) || (ch === '.' && DIGIT.test(text[i + 1] ?? ''))) {
      i = readNumber(text, i, tokens);
    } else if (WORD_START.test(ch)) {
      let end = i + 1;
      while (end < text.length && WORD_PART.test(text[end] as string)) end++;
      tokens.push({ kind: 'identifier', text: text.slice(i, end), pos: i });
      i = end;
    } else {
      const match = OPERATORS.find(([spelling]) => text.startsWith(spelling, i));
      if (!match) throw syntaxError(`Unexpected character ${describeChar(ch)}`, i);
      tokens.push({ kind: 'operator', op: match[1], pos: i });
      i += match[0].length;
    }
  }
  tokens.push({ kind: 'end', pos: text.length });
  return tokens;
}

function readString(text: string, start: number, tokens: Token[]): number {
  const quote = text[start];
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === quote) {
      tokens.push({ kind: 'string', value, pos: start });
      return i + 1;
    }
    if (ch === '\\' && i + 1 < text.length) {
      const next = text[i + 1] as string;
      value += STRING_ESCAPES[next] ?? next;
      i += 2;
    } else {
      value += ch;
      i++;
    }
  }
  throw syntaxError('Unterminated text value (missing closing quote)', start);
}

/** `{Name}`; only `\}` is an escape (pyairtable escapes nothing else), other backslashes are literal. */
function readField(text: string, start: number, tokens: Token[]): number {
  let name = '';
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '}') {
      if (name.length === 0) throw syntaxError('Empty field reference {}', start);
      tokens.push({ kind: 'field', text: name, pos: start });
      return i + 1;
    }
    if (ch === '\\' && text[i + 1] === '}') {
      name += '}';
      i += 2;
    } else {
      name += ch;
      i++;
    }
  }
  throw syntaxError("Unterminated field reference (missing '}')", start);
}

function readNumber(text: string, start: number, tokens: Token[]): number {
  let i = start;
  while (DIGIT.test(text[i] ?? '')) i++;
  if (text[i] === '.') {
    i++;
    while (DIGIT.test(text[i] ?? '')) i++;
  }
  if (WORD_PART.test(text[i] ?? '') || text[i] === '.') {
    throw syntaxError(`Malformed number '${text.slice(start, i + 1)}'`, start);
  }
  tokens.push({ kind: 'number', value: Number(text.slice(start, i)), pos: start });
  return i;
}
