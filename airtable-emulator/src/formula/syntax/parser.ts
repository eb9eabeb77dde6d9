import { MAX_FORMULA_LENGTH, MAX_NESTING_DEPTH } from '../limits.ts';
import type { ChainLink, Expr } from './ast.ts';
import { tokenize } from './lexer.ts';
import { syntaxError } from './syntax-error.ts';
import type { Operator, Token } from './tokens.ts';

/**
 * Binary operator levels from loosest to tightest. Airtable documents no precedence table;
 * this is the spreadsheet order it behaves like (Excel's: comparisons < `&` < `+ -` < `* /`),
 * with unary minus binding tightest.
 */
const LEVELS: ReadonlyArray<ReadonlySet<Operator>> = [
  new Set<Operator>(['=', '!=', '<', '>', '<=', '>=']),
  new Set<Operator>(['&']),
  new Set<Operator>(['+', '-']),
  new Set<Operator>(['*', '/']),
];

/** Parses formula text into an AST. Throws FormulaSyntaxError. */
export function parseFormula(text: string): Expr {
  if (text.length > MAX_FORMULA_LENGTH) {
    throw syntaxError(`Formula is longer than ${MAX_FORMULA_LENGTH} characters`, MAX_FORMULA_LENGTH);
  }
  return new Parser(tokenize(text)).parseAll();
}

/** Recursive descent over a token list. One instance per parse. */
class Parser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parseAll(): Expr {
    if (this.peek().kind === 'end') throw syntaxError('The formula is empty', 0);
    const expr = this.parseLevel(0);
    const next = this.peek();
    if (next.kind !== 'end') throw syntaxError(`Unexpected ${describe(next)}`, next.pos);
    return expr;
  }

  private peek(): Token {
    // The token list always ends with `end`, and the index never passes it.
    return this.tokens[this.index] as Token;
  }

  private advance(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  /** Guards every construct that nests, so no input can recurse past MAX_NESTING_DEPTH levels. */
  private nested<T>(pos: number, parse: () => T): T {
    if (++this.depth > MAX_NESTING_DEPTH) {
      throw syntaxError(`Formula nests deeper than ${MAX_NESTING_DEPTH} levels`, pos);
    }
    const result = parse();
    this.depth--;
    return result;
  }

  private parseLevel(level: number): Expr {
    const ops = LEVELS[level];
    if (!ops) return this.parseUnary();
    const first = this.parseLevel(level + 1);
    const rest: ChainLink[] = [];
    for (let token = this.peek(); token.kind === 'operator' && ops.has(token.op); token = this.peek()) {
      this.advance();
      rest.push({ op: token.op, operand: this.parseLevel(level + 1) });
    }
    return rest.length === 0 ? first : { kind: 'chain', first, rest, pos: first.pos };
  }

  private parseUnary(): Expr {
    const token = this.peek();
    if (token.kind === 'operator' && (token.op === '-' || token.op === '+')) {
      this.advance();
      const operand = this.nested(token.pos, () => this.parseUnary());
      // Unary plus is accepted and means nothing, as in spreadsheets.
      return token.op === '-' ? { kind: 'negate', operand, pos: token.pos } : operand;
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Expr {
    const token = this.advance();
    switch (token.kind) {
      case 'number':
        return { kind: 'number', value: token.value, pos: token.pos };
      case 'string':
        return { kind: 'string', value: token.value, pos: token.pos };
      case 'field':
        return { kind: 'field', text: token.text, pos: token.pos };
      case 'identifier':
        if (this.peek().kind === '(') return this.parseCall(token.text, token.pos);
        return { kind: 'field', text: token.text, pos: token.pos };
      case '(':
        return this.nested(token.pos, () => {
          const inner = this.parseLevel(0);
          this.expectClosing(token.pos);
          return inner;
        });
      default:
        throw syntaxError(`Unexpected ${describe(token)}`, token.pos);
    }
  }

  private parseCall(name: string, pos: number): Expr {
    this.advance(); // the '('
    return this.nested(pos, () => {
      const args: Expr[] = [];
      if (this.peek().kind === ')') {
        this.advance();
      } else {
        for (;;) {
          args.push(this.parseLevel(0));
          const sep = this.advance();
          if (sep.kind === ')') break;
          if (sep.kind !== ',')
            throw syntaxError(`Expected ',' or ')' in ${name}() but found ${describe(sep)}`, sep.pos);
        }
      }
      return { kind: 'call', name: name.toUpperCase(), args, pos };
    });
  }

  private expectClosing(openedAt: number): void {
    const token = this.advance();
    if (token.kind !== ')') {
      throw syntaxError(
        `Missing ')' for the '(' at character ${openedAt + 1}; found ${describe(token)}`,
        token.pos,
      );
    }
  }
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'end of formula';
    case 'number':
      return `number ${token.value}`;
    case 'string':
      return 'text value';
    case 'field':
      return `field {${token.text}}`;
    case 'identifier':
      return `name '${token.text}'`;
    case 'operator':
      return `operator '${token.op}'`;
    default:
      return `'${token.kind}'`;
  }
}
