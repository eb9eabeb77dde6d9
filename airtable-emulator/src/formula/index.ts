/**
 * The Airtable formula engine: compiles formula text (filterByFormula, formula fields) against
 * a table's fields and evaluates it against records. Pure: no I/O, no shared state.
 * Any new export here becomes API for the rest of the emulator; keep it to named exports.
 */
export { compileFormula } from './compiler.ts';
export type {
  CompiledFormula,
  FormulaFieldInfo,
  FormulaRecordContext,
  FormulaResultType,
  FormulaValue,
} from './types.ts';
export { FormulaError, FormulaSyntaxError, FormulaUnknownFieldError } from './types.ts';
export { toText as formatFormulaValue } from './values/display.ts';
export { isTruthy } from './values/truthy.ts';
