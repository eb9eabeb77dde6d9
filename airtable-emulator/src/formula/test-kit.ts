/**
 * Shared fixtures for the formula tests (not a test file itself): one table, one record, a
 * fixed clock, and a table-row checker that compares values (dates by ISO text, errors by class and display).
 */
import { expect, it } from 'vitest';
import { compileFormula } from './index.ts';
import {
  FormulaError,
  type FormulaFieldInfo,
  type FormulaRecordContext,
  type FormulaValue,
} from './types.ts';

export const FIELDS: FormulaFieldInfo[] = [
  { id: 'fldName0000000001', name: 'Name', type: 'singleLineText' },
  { id: 'fldAmount00000001', name: 'Amount', type: 'currency' },
  { id: 'fldQty00000000001', name: 'Qty', type: 'number' },
  { id: 'fldEmpty000000001', name: 'Empty', type: 'singleLineText' },
  { id: 'fldEmptyNum000001', name: 'Empty Number', type: 'number' },
  { id: 'fldEmptyDate00001', name: 'Empty Date', type: 'date' },
  { id: 'fldDone0000000001', name: 'Done', type: 'checkbox' },
  { id: 'fldTags0000000001', name: 'Tags', type: 'multipleSelects' },
  { id: 'fldStart000000001', name: 'Start Date', type: 'date' },
  { id: 'fldMeeting0000001', name: 'Next Meeting', type: 'dateTime' },
  { id: 'fldOdd00000000001', name: 'Odd}Name', type: 'singleLineText' },
  { id: 'fldStatus00000001', name: 'Status', type: 'singleSelect' },
  { id: 'fldScores00000001', name: 'Scores', type: 'multipleLookupValues' },
  { id: 'fldNumText0000001', name: 'Num Text', type: 'singleLineText' },
  { id: 'fldZero0000000001', name: 'Zero', type: 'number' },
  { id: 'fldBroken00000001', name: 'Broken', type: 'formula' },
  { id: 'fldRating00000001', name: 'Rating', type: 'rating' },
  { id: 'fldCreated0000001', name: 'Created', type: 'createdTime' },
  { id: 'fldLinks000000001', name: 'Links', type: 'multipleRecordLinks' },
  { id: 'fldNotes000000001', name: 'Notes', type: 'multilineText' },
  { id: 'fldMixed000000001', name: 'Mixed', type: 'multipleLookupValues' },
  { id: 'fldNested00000001', name: 'Nested', type: 'multipleLookupValues' },
];

const CELLS: Readonly<Record<string, FormulaValue>> = {
  fldName0000000001: 'Alice Smith',
  fldAmount00000001: 1250.5,
  fldQty00000000001: 3,
  fldEmpty000000001: null,
  fldEmptyNum000001: null,
  fldEmptyDate00001: null,
  fldDone0000000001: true,
  fldTags0000000001: ['red', 'green'],
  fldStart000000001: new Date('2024-01-31T00:00:00.000Z'),
  fldMeeting0000001: new Date('2024-03-20T15:30:00.000Z'),
  fldOdd00000000001: 'braced',
  fldStatus00000001: 'Open',
  fldScores00000001: [10, 20, 30],
  fldNumText0000001: '42',
  fldZero0000000001: 0,
  fldBroken00000001: new FormulaError('#ERROR!', 'broken upstream formula'),
  fldRating00000001: 4,
  fldCreated0000001: new Date('2024-01-10T08:00:00.000Z'),
  fldLinks000000001: ['Acme', 'Globex', 'Acme'],
  fldNotes000000001: '  padded  ',
  fldMixed000000001: ['a', '', null, 0, ' ', 'a'],
  fldNested00000001: [[1, [2]], 3],
};

/** Friday 15 March 2024, 12:34:56.789 UTC. */
export const NOW = new Date('2024-03-15T12:34:56.789Z');

export const RECORD: FormulaRecordContext = {
  field: (id) => CELLS[id] ?? null,
  recordId: 'recAAAAAAAAAAAAAA',
  createdTime: new Date('2024-01-10T08:00:00.000Z'),
  lastModifiedTime: new Date('2024-03-01T09:30:00.000Z'),
  now: NOW,
};

/** Compiles against FIELDS and evaluates against RECORD. */
export function run(formula: string): FormulaValue {
  return compileFormula(formula, FIELDS).evaluate(RECORD);
}

/** Expected-value marker for "an Airtable #ERROR! value". */
export const ERROR = Symbol('#ERROR!');

/** An expected date result, written as its ISO instant. */
export class At {
  constructor(readonly iso: string) {}
}

export type Expected = FormulaValue | typeof ERROR | At;

/** A row of a formula table: the formula and what it evaluates to. */
export type Case = readonly [formula: string, expected: Expected];

/** Reduces a value to something `toEqual` compares meaningfully (dates → ISO, errors → display). */
export function comparable(value: FormulaValue | typeof ERROR | At): unknown {
  if (value === ERROR) return { error: '#ERROR!' };
  if (value instanceof At) return { date: value.iso };
  if (value instanceof FormulaError) return { error: value.display };
  if (value instanceof Date) return { date: value.toISOString() };
  if (Array.isArray(value)) return value.map(comparable);
  return value;
}

/** Registers one test per row, asserting the formula evaluates to the expected value. */
export function table(cases: readonly Case[]): void {
  it.each(cases)('%s', (formula, expected) => {
    expect(comparable(run(formula))).toEqual(comparable(expected));
  });
}
