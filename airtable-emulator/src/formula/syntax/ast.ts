import type { Operator } from './tokens.ts';

/**
 * The parsed formula. Runs of the same precedence level (`a + b - c`) are kept flat in one
 * `chain` node rather than a left-leaning tree, so a long chain costs a loop, not recursion depth.
 */
export type Expr =
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'string'; value: string; pos: number }
  /** A field reference by name or id, as written; the compiler resolves it. */
  | { kind: 'field'; text: string; pos: number }
  | { kind: 'negate'; operand: Expr; pos: number }
  | { kind: 'chain'; first: Expr; rest: ChainLink[]; pos: number }
  /** `name` is upper-cased: function names are case-insensitive. */
  | { kind: 'call'; name: string; args: Expr[]; pos: number };

export interface ChainLink {
  op: Operator;
  operand: Expr;
}
