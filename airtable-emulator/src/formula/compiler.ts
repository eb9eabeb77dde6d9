import { createFieldResolver } from './field-resolver.ts';
import { FUNCTIONS } from './functions/registry.ts';
import { fieldResultType, type StaticType } from './static-type.ts';
import type { ChainLink, Expr } from './syntax/ast.ts';
import { parseFormula } from './syntax/parser.ts';
import { syntaxError } from './syntax/syntax-error.ts';
import {
  type CompiledFormula,
  FormulaError,
  type FormulaFieldInfo,
  type FormulaRecordContext,
  FormulaUnknownFieldError,
  type FormulaValue,
} from './types.ts';
import { applyOperator, negate } from './values/operators.ts';

type Evaluator = (record: FormulaRecordContext) => FormulaValue;

interface Compiled {
  evaluate: Evaluator;
  type: StaticType;
}

/** What compiling one formula needs to know and collects. */
interface Scope {
  resolve: (reference: string) => FormulaFieldInfo | undefined;
  /** Field ids in first-use order (a Set keeps insertion order). */
  referenced: Set<string>;
}

/**
 * Parses and compiles a formula into closures. Throws FormulaSyntaxError for text that is not
 * a valid formula (including unknown functions and wrong argument counts) and
 * FormulaUnknownFieldError for references to fields the table lacks.
 */
export function compileFormula(text: string, fields: FormulaFieldInfo[]): CompiledFormula {
  const scope: Scope = { resolve: createFieldResolver(fields), referenced: new Set() };
  const root = compile(parseFormula(text), scope);
  return {
    referencedFieldIds: [...scope.referenced],
    resultType: root.type === 'blank' ? 'singleLineText' : root.type,
    evaluate(record) {
      try {
        return root.evaluate(record);
      } catch (error) {
        // Functions are written not to throw; this keeps the promise if one still does (e.g. out of memory).
        return new FormulaError(
          '#ERROR!',
          `internal error: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    },
  };
}

function compile(expr: Expr, scope: Scope): Compiled {
  switch (expr.kind) {
    case 'number':
      return constant(expr.value, 'number');
    case 'string':
      return constant(expr.value, 'singleLineText');
    case 'field':
      return compileField(expr.text, scope);
    case 'negate': {
      const operand = compile(expr.operand, scope).evaluate;
      return { evaluate: (record) => negate(operand(record)), type: 'number' };
    }
    case 'chain':
      return compileChain(compile(expr.first, scope), expr.rest, scope);
    case 'call':
      return compileCall(expr.name, expr.args, expr.pos, scope);
  }
}

function constant(value: FormulaValue, type: StaticType): Compiled {
  return { evaluate: () => value, type };
}

function compileField(reference: string, scope: Scope): Compiled {
  const field = scope.resolve(reference);
  if (!field) throw new FormulaUnknownFieldError(reference);
  scope.referenced.add(field.id);
  const id = field.id;
  // `?? null`: a context that answers undefined for an empty cell still means blank.
  return { evaluate: (record) => record.field(id) ?? null, type: fieldResultType(field.type) };
}

/** A run of same-precedence operators, evaluated left to right in a loop. */
function compileChain(first: Compiled, rest: ChainLink[], scope: Scope): Compiled {
  const links = rest.map((link) => ({ op: link.op, evaluate: compile(link.operand, scope).evaluate }));
  const op = rest[0]?.op;
  // Comparisons give booleans, which Airtable's schema reports as numbers (TRUE is 1).
  const type: StaticType = op === '&' ? 'singleLineText' : 'number';
  return {
    type,
    evaluate: (record) => {
      let acc = first.evaluate(record);
      for (const link of links) acc = applyOperator(link.op, acc, link.evaluate(record));
      return acc;
    },
  };
}

function compileCall(name: string, argExprs: Expr[], pos: number, scope: Scope): Compiled {
  const spec = FUNCTIONS.get(name);
  if (!spec) throw syntaxError(`Unknown function ${name}()`, pos);
  const count = argExprs.length;
  if (count < spec.minArgs || count > spec.maxArgs) {
    throw syntaxError(`${name}() ${arityText(spec.minArgs, spec.maxArgs)} but was given ${count}`, pos);
  }
  const args = argExprs.map((a) => compile(a, scope));
  const evaluators = args.map((a) => a.evaluate);
  const type = typeof spec.returns === 'function' ? spec.returns(args.map((a) => a.type)) : spec.returns;
  if (spec.kind === 'lazy') {
    return {
      type,
      evaluate: (record) =>
        spec.call(
          evaluators.map((e) => () => e(record)),
          record,
        ),
    };
  }
  return {
    type,
    evaluate: (record) => {
      const values = evaluators.map((e) => e(record));
      if (!spec.acceptsErrors) {
        const error = values.find((v): v is FormulaError => v instanceof FormulaError);
        if (error) return error;
      }
      return spec.call(values, record);
    },
  };
}

function arityText(min: number, max: number): string {
  const plural = (n: number) => `${n} argument${n === 1 ? '' : 's'}`;
  if (min === max) return `takes exactly ${plural(min)}`;
  if (max === Number.POSITIVE_INFINITY) return `takes at least ${plural(min)}`;
  return `takes ${min} to ${plural(max)}`;
}
