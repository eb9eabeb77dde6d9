import { describe, expect, it } from 'vitest';
import {
  compileFormula,
  FormulaError,
  FormulaSyntaxError,
  FormulaUnknownFieldError,
  isTruthy,
} from './index.ts';
import { ERROR, FIELDS, RECORD, run, table } from './test-kit.ts';

describe('literals', () => {
  table([
    ['42', 42],
    ['3.25', 3.25],
    ['.5', 0.5],
    ['007', 7],
    ["'single'", 'single'],
    ['"double"', 'double'],
    ["'Jane\\'s'", "Jane's"],
    ['"say \\"hi\\""', 'say "hi"'],
    ["'back\\\\slash'", 'back\\slash'],
    ['"it\'s"', "it's"],
    ["'line\\nbreak'", 'line\nbreak'],
    ["''", ''],
    ['TRUE()', true],
    ['FALSE()', false],
    ['true()', true],
    ['  1 +\n\t2  ', 3],
  ]);
});

describe('operators and precedence', () => {
  table([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['24 / 4 / 3', 2],
    ['2 * 3 + 4 * 5', 26],
    ['-2 * 3', -6],
    ['-(2 + 3)', -5],
    ['--4', 4],
    ['+5', 5],
    ['1 + 2 & 3', '33'],
    ["'a' & 1 + 2", 'a3'],
    ['1 + 2 = 3', true],
    ["'1' & '2' = '12'", true],
    ['2 * 3 > 5', true],
    ['1 < 2 = TRUE()', true],
    ['7 / 2', 3.5],
    ['0.1 + 0.2 = 0.3', false],
    ['TRUE() + TRUE()', 2],
    ["'5' * 2", 10],
    ["' 5 ' + 1", 6],
    ["'abc' * 2", ERROR],
    ["-'x'", ERROR],
    ["'a' & 'b' & 'c'", 'abc'],
    ['1 & 2.50', '12.5'],
    ["'Total: ' & (0.1 + 0.2)", 'Total: 0.3'],
  ]);
});

describe('comparisons', () => {
  table([
    ['1 = 1', true],
    ['1 != 2', true],
    ['1 <> 1', false],
    ['2 >= 2', true],
    ['2 <= 1', false],
    ["'abc' = 'abc'", true],
    ["'abc' = 'ABC'", false],
    ["'apple' < 'banana'", true],
    ["5 = '5'", true],
    ["'10' = 10.0", true],
    ["5 < '10'", true],
    ["5 = 'five'", false],
    ['TRUE() = 1', true],
    ["DATETIME_PARSE('2024-01-31') = {Start Date}", true],
    ["{Start Date} = '2024-01-31'", true],
    ["{Start Date} < '2024-02-01T00:00:00Z'", true],
    ['{Next Meeting} > {Start Date}', true],
    ["{Start Date} = 'not a date'", false],
    ["{Tags} = 'red, green'", true],
  ]);
});

describe('blanks', () => {
  table([
    ["{Empty} = ''", true],
    ['{Empty} = BLANK()', true],
    ['{Empty Number} = 0', true],
    ['{Empty Number} = BLANK()', true],
    ["{Empty} != ''", false],
    ["{Name} = ''", false],
    ['{Empty Number} + 5', 5],
    ['{Empty Number} * 5', 0],
    ["{Empty} & 'x'", 'x'],
    ['LEN({Empty})', 0],
    ['BLANK()', null],
    ['BLANK() = 0', true],
    ["BLANK() = ''", true],
    ['{Zero} = BLANK()', true],
    ['IF({Empty}, 1, 2)', 2],
    ['{Empty Date}', null],
    ['{Empty Date} = BLANK()', true],
    ['{Empty Date} = {Start Date}', false],
    ['{Empty Date} != {Start Date}', true],
    ['UPPER({Empty})', ''],
  ]);
});

describe('errors propagate', () => {
  table([
    ['ERROR()', ERROR],
    ['ERROR() + 1', ERROR],
    ["'x' & ERROR()", ERROR],
    ['ERROR() = ERROR()', ERROR],
    ['UPPER(ERROR())', ERROR],
    ['{Broken}', ERROR],
    ['{Broken} & ""', ERROR],
    ['ISERROR({Broken})', true],
    ['ISERROR(1)', false],
    ["ISERROR('abc' * 2)", true],
    ["IF(TRUE(), 'ok', ERROR())", 'ok'],
    ["IF(FALSE(), ERROR(), 'ok')", 'ok'],
    ["IF(ERROR(), 'a', 'b')", ERROR],
    ['AND(TRUE(), ERROR())', ERROR],
    ['SUM(1, ERROR())', ERROR],
  ]);

  it('keeps division by zero as Infinity / NaN, which Airtable reports as special values', () => {
    expect(run('1 / 0')).toBe(Number.POSITIVE_INFINITY);
    expect(run('-1 / {Zero}')).toBe(Number.NEGATIVE_INFINITY);
    expect(run('{Zero} / {Empty Number}')).toBeNaN();
    expect(isTruthy(run('0 / 0'))).toBe(false);
  });
});

describe('field references', () => {
  table([
    ['{Name}', 'Alice Smith'],
    ['Name', 'Alice Smith'],
    ['Qty * 2', 6],
    ['{fldQty00000000001} + 1', 4],
    ['fldQty00000000001 + 1', 4],
    ['{name}', 'Alice Smith'],
    ['{Odd\\}Name}', 'braced'],
    ['{Num Text} + 1', 43],
    ['{Done}', true],
    ['{Done} + 1', 2],
    ['{Tags}', ['red', 'green']],
    ["{Tags} & ''", 'red, green'],
    ['{Amount} * {Qty}', 3751.5],
  ]);

  it('prefers an exact name, then a case-insensitive one, then an id', () => {
    const fields = [
      { id: 'fldLower000000001', name: 'score', type: 'number' },
      { id: 'fldUpper000000001', name: 'Score', type: 'number' },
      { id: 'fldLookalike00001', name: 'fldUpper000000001', type: 'number' },
    ];
    expect(compileFormula('{Score}', fields).referencedFieldIds).toEqual(['fldUpper000000001']);
    expect(compileFormula('{score}', fields).referencedFieldIds).toEqual(['fldLower000000001']);
    expect(compileFormula('{SCORE}', fields).referencedFieldIds).toEqual(['fldLower000000001']);
    expect(compileFormula('{fldUpper000000001}', fields).referencedFieldIds).toEqual(['fldLookalike00001']);
    expect(compileFormula('{fldLower000000001}', fields).referencedFieldIds).toEqual(['fldLower000000001']);
  });

  it('lists referenced fields in first-use order without duplicates', () => {
    const compiled = compileFormula('IF({Qty} > 1, Name & {Qty}, {fldAmount00000001} + {Name})', FIELDS);
    expect(compiled.referencedFieldIds).toEqual([
      'fldQty00000000001',
      'fldName0000000001',
      'fldAmount00000001',
    ]);
    expect(compileFormula('1 + 1', FIELDS).referencedFieldIds).toEqual([]);
  });

  it.each([
    ['{Nope}', 'Nope'],
    ['Nope', 'Nope'],
    ["{Name} = 'x' & {Missing Field}", 'Missing Field'],
    ['TRUE', 'TRUE'],
    ['{fldXXXXXXXXXXXXXX}', 'fldXXXXXXXXXXXXXX'],
    ['LAST_MODIFIED_TIME({Ghost})', 'Ghost'],
  ])('rejects unknown field in %s', (formula, name) => {
    expect.assertions(2);
    try {
      compileFormula(formula, FIELDS);
    } catch (error) {
      expect(error).toBeInstanceOf(FormulaUnknownFieldError);
      expect((error as FormulaUnknownFieldError).fieldName).toBe(name);
    }
  });

  it('evaluates a field the context reports as undefined as blank', () => {
    const compiled = compileFormula("{Name} = ''", FIELDS);
    const record = { ...RECORD, field: () => undefined as unknown as null };
    expect(compiled.evaluate(record)).toBe(true);
  });
});

describe('syntax errors', () => {
  it.each([
    [''],
    ['   '],
    ['1 +'],
    ['(1 + 2'],
    ['1 + 2)'],
    ["'unterminated"],
    ['"unterminated\\"'],
    ['{Name'],
    ['{}'],
    ['1 2'],
    ['IF(1, 2'],
    ['IF(1,, 2)'],
    ['IF(1, 2,)'],
    ['NOPE(1)'],
    ['IF(1)'],
    ['IF(1, 2, 3, 4)'],
    ['NOT()'],
    ['TODAY(1)'],
    ['1 ^ 2'],
    ['1 == 1'],
    ['{Name} @ 2'],
    ['1.2.3'],
    ['2abc'],
    ['\u2018smart\u2019'],
    ['AND(1, 2'],
    [','],
  ])('rejects %j', (formula) => {
    expect(() => compileFormula(formula, FIELDS)).toThrow(FormulaSyntaxError);
  });

  it('reports the position of the problem', () => {
    expect(() => compileFormula('1 + )', FIELDS)).toThrow(/character 5/);
  });
});

describe('abuse guards', () => {
  it('accepts nesting up to 200 levels', () => {
    expect(run(`${'('.repeat(200)}1${')'.repeat(200)}`)).toBe(1);
    expect(run(`${'ABS('.repeat(199)}-1${')'.repeat(199)}`)).toBe(1);
  });

  it.each([
    ['parentheses', `${'('.repeat(201)}1${')'.repeat(201)}`],
    ['function calls', `${'ABS('.repeat(201)}1${')'.repeat(201)}`],
    ['unary minus', `${'-'.repeat(201)}1`],
    ['deep parentheses up to the length limit', `${'('.repeat(50_000)}1${')'.repeat(49_999)}`],
    ['unclosed calls', 'IF('.repeat(25_000)],
    ['long text', `'${'x'.repeat(100_000)}'`],
  ])('rejects %s with a syntax error, not a stack overflow', (_label, formula) => {
    expect(() => compileFormula(formula, FIELDS)).toThrow(FormulaSyntaxError);
  });

  it('handles a long flat chain without deep recursion', () => {
    const terms = Array.from({ length: 20_000 }, () => '1');
    expect(run(terms.join('+'))).toBe(20_000);
  });

  it('turns a huge REPT into an error instead of allocating', () => {
    expect(run("REPT('abc', 1000000000)")).toBeInstanceOf(FormulaError);
  });
});
