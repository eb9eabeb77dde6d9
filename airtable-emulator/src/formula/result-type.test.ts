import { describe, expect, it } from 'vitest';
import { compileFormula } from './index.ts';
import { FIELDS } from './test-kit.ts';

describe('resultType', () => {
  it.each([
    ['1 + 1', 'number'],
    ["'a' & 'b'", 'singleLineText'],
    ['{Qty} > 1', 'number'],
    ['AND(1, 1)', 'number'],
    ['{Name}', 'singleLineText'],
    ['{Amount}', 'number'],
    ['{Rating}', 'number'],
    ['{Done}', 'checkbox'],
    ['{Start Date}', 'date'],
    ['{Next Meeting}', 'dateTime'],
    ['{Created}', 'dateTime'],
    ['{Tags}', 'multipleLookupValues'],
    ['{Links}', 'multipleLookupValues'],
    ['{Status}', 'singleLineText'],
    ["IF({Qty}, BLANK(), 'x')", 'singleLineText'],
    ['IF({Qty}, BLANK(), 5)', 'number'],
    ["IF({Qty}, 5, 'x')", 'number'],
    ['IF({Qty}, ERROR(), NOW())', 'dateTime'],
    ["SWITCH({Status}, 'Open', BLANK(), 'Closed', 2, 'x')", 'number'],
    ["SWITCH({Status}, 'Open', BLANK(), 'x')", 'singleLineText'],
    ['BLANK()', 'singleLineText'],
    ['LEN({Name})', 'number'],
    ['UPPER({Name})', 'singleLineText'],
    ["DATEADD({Start Date}, 1, 'days')", 'dateTime'],
    ['TODAY()', 'date'],
    ['DATETIME_FORMAT(NOW())', 'singleLineText'],
    ["DATETIME_DIFF(NOW(), {Start Date}, 'days')", 'number'],
    ['ARRAYUNIQUE({Tags})', 'multipleLookupValues'],
    ['ARRAYJOIN({Tags})', 'singleLineText'],
    ['MAX({Start Date}, {Next Meeting})', 'dateTime'],
    ['MAX(1, 2)', 'number'],
    ['-{Name}', 'number'],
  ])('%s is %s', (formula, type) => {
    expect(compileFormula(formula, FIELDS).resultType).toBe(type);
  });
});
