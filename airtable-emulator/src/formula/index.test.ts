import { describe, expect, it } from 'vitest';
import * as api from './index.ts';
import { FIELDS, RECORD } from './test-kit.ts';

describe('public surface', () => {
  it('exports only the engine entry points and the contract classes', () => {
    expect(Object.keys(api).sort()).toEqual([
      'FormulaError',
      'FormulaSyntaxError',
      'FormulaUnknownFieldError',
      'compileFormula',
      'formatFormulaValue',
      'isTruthy',
    ]);
  });

  it('never throws from evaluate, even when the record context does', () => {
    const compiled = api.compileFormula('{Name} & "!"', FIELDS);
    const record = {
      ...RECORD,
      field: () => {
        throw new Error('storage failure');
      },
    };
    expect(compiled.evaluate(record)).toBeInstanceOf(api.FormulaError);
  });

  it('evaluates one compiled formula against many records independently', () => {
    const compiled = api.compileFormula('{Qty} * 2', FIELDS);
    const values = [1, 2, 3].map((qty) => compiled.evaluate({ ...RECORD, field: () => qty }));
    expect(values).toEqual([2, 4, 6]);
  });
});
