import { describe, expect, it } from 'vitest';
import { FormulaError, formatFormulaValue, isTruthy } from './index.ts';
import { run } from './test-kit.ts';

describe('isTruthy', () => {
  it.each([
    [0, false],
    [Number.NaN, false],
    ['', false],
    [false, false],
    [null, false],
    [[], false],
    [new FormulaError('#ERROR!', 'x'), false],
    [new Date(Number.NaN), false],
    [1, true],
    [-0.5, true],
    [' ', true],
    ['0', true],
    [true, true],
    [[0], true],
    [new Date(0), true],
    [Number.POSITIVE_INFINITY, true],
  ])('isTruthy(%j) is %s', (value, expected) => {
    expect(isTruthy(value)).toBe(expected);
  });

  it.each([
    ["{Status} = 'Open'", true],
    ["AND({Qty} > 2, {Name} != '')", true],
    ["FIND('Bob', {Name})", false],
    ["SEARCH('Bob', {Name})", false],
    ['{Empty}', false],
    ['{Tags}', true],
    ['ARRAYCOMPACT({Empty})', false],
  ])('filters with %s → %s', (formula, expected) => {
    expect(isTruthy(run(formula))).toBe(expected);
  });
});

describe('formatFormulaValue', () => {
  it.each([
    [null, ''],
    [1.5, '1.5'],
    [2, '2'],
    [0.1 + 0.2, '0.3'],
    [-0, '0'],
    [1e21, '1e+21'],
    [true, '1'],
    [false, '0'],
    ['text', 'text'],
    [new Date('2024-01-02T03:04:05.006Z'), '2024-01-02T03:04:05.006Z'],
    [['a', 1, null, ['b', true]], 'a, 1, , b, 1'],
    [new FormulaError('#ERROR!', 'x'), '#ERROR!'],
    [Number.NaN, 'NaN'],
  ])('formats %j as %j', (value, expected) => {
    expect(formatFormulaValue(value)).toBe(expected);
  });
});
