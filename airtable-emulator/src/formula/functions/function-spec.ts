import type { StaticType } from '../static-type.ts';
import type { FormulaRecordContext, FormulaValue } from '../types.ts';

/** A deferred argument: lazy functions evaluate only what they need (IF's untaken branch never runs). */
export type Thunk = () => FormulaValue;

interface SpecBase {
  /** Upper-case name, as the parser normalizes calls. */
  readonly name: string;
  readonly minArgs: number;
  /** `Infinity` for variadic functions. */
  readonly maxArgs: number;
  /** The result type, fixed or computed from the argument types. */
  readonly returns: StaticType | ((argTypes: StaticType[]) => StaticType);
}

/**
 * A function whose arguments are evaluated first. An error argument is the result without
 * calling it, unless `acceptsErrors` (ISERROR).
 */
export interface EagerFunction extends SpecBase {
  readonly kind: 'eager';
  readonly acceptsErrors?: boolean;
  call(args: FormulaValue[], record: FormulaRecordContext): FormulaValue;
}

/** A function that decides which arguments to evaluate. */
export interface LazyFunction extends SpecBase {
  readonly kind: 'lazy';
  call(args: Thunk[], record: FormulaRecordContext): FormulaValue;
}

export type FunctionSpec = EagerFunction | LazyFunction;

/** The i-th argument, blank when omitted. */
export function arg(args: readonly FormulaValue[], i: number): FormulaValue {
  return args[i] ?? null;
}
