/**
 * The contract between the formula engine and the rest of the emulator.
 * The engine is pure: it knows nothing of HTTP, the store or field storage formats.
 */

import { codedError } from '@airsuite/airtable-gateway/coded-error';

/** Airtable's error values (`#ERROR!`, division by zero, ...). They are values, not exceptions. */
export class FormulaError {
  constructor(
    /** Airtable's display form, e.g. '#ERROR!' or '#DIV/0!'? Airtable shows '#ERROR!' for most. */
    readonly display: string,
    /** Why, for debugging; never shown to API callers. */
    readonly reason: string,
  ) {}
}

/**
 * A value in the formula domain. `null` is BLANK(). Dates are JS Dates (UTC instants;
 * a date-only field is midnight UTC of that day). Arrays come from multi-value fields
 * (multipleSelects, links, attachments) and array functions.
 */
export type FormulaValue = null | number | string | boolean | Date | FormulaError | FormulaValue[];

/** What a formula's result is, as the schema reports in `options.result.type`. */
export type FormulaResultType =
  | 'number'
  | 'singleLineText'
  | 'checkbox'
  | 'dateTime'
  | 'date'
  | 'multipleLookupValues';

/** A field as the compiler sees it: enough to resolve `{Name}` / `{fldId}` and to infer result types. */
export interface FormulaFieldInfo {
  id: string;
  name: string;
  /** An Airtable field type name, e.g. 'number', 'date', 'multipleSelects'. */
  type: string;
}

/** The record a compiled formula is evaluated against. */
export interface FormulaRecordContext {
  /** The field's value converted to the formula domain (blank → null). */
  field(fieldId: string): FormulaValue;
  recordId: string;
  createdTime: Date;
  lastModifiedTime: Date;
  /** The clock, injected so TODAY()/NOW() are testable. */
  now: Date;
}

/** The stable codes of a formula `compileFormula` refuses (local errors: the wire says INVALID_FILTER_BY_FORMULA). */
export type FormulaCompileErrorCode = 'FORMULA_INVALID_SYNTAX' | 'FORMULA_UNKNOWN_FIELD';

/** Thrown by `compileFormula` for text that is not a valid formula; `message` is safe to show to a caller. */
export class FormulaSyntaxError extends codedError<FormulaCompileErrorCode>('FormulaSyntaxError') {
  constructor(message: string) {
    super('FORMULA_INVALID_SYNTAX', message);
  }
}

/** Thrown by `compileFormula` when the formula names a field the table does not have. */
export class FormulaUnknownFieldError extends codedError<FormulaCompileErrorCode>(
  'FormulaUnknownFieldError',
) {
  constructor(readonly fieldName: string) {
    super('FORMULA_UNKNOWN_FIELD', `Unknown field names: ${fieldName}`);
  }
}

export interface CompiledFormula {
  /** The ids of the fields the formula reads, in first-use order, without duplicates. */
  readonly referencedFieldIds: string[];
  /** The type the result will have, for the schema's `options.result`. */
  readonly resultType: FormulaResultType;
  /** Never throws: runtime problems become FormulaError values. */
  evaluate(record: FormulaRecordContext): FormulaValue;
}
