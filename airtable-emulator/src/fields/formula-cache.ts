import { type CompiledFormula, compileFormula } from '../formula/index.ts';
import type { FieldDef, TableDef } from '../model/types.ts';

interface Entry {
  fields: FieldDef[];
  text: string;
  result: CompiledFormula | Error;
}

/**
 * Compiled formulas of formula fields, reused across requests. An entry is rebuilt when
 * the table's field list or the formula text changes (schema operations replace
 * `table.fields` rather than mutating it, so identity tells).
 */
export class FormulaCache {
  readonly #entries = new WeakMap<FieldDef, Entry>();

  get(table: TableDef, field: FieldDef): CompiledFormula | Error {
    const text = typeof field.options?.formula === 'string' ? field.options.formula : '';
    const cached = this.#entries.get(field);
    if (cached && cached.fields === table.fields && cached.text === text) return cached.result;
    let result: CompiledFormula | Error;
    try {
      result = compileFormula(
        text,
        table.fields.filter((f) => f.id !== field.id),
      );
    } catch (error) {
      result = error instanceof Error ? error : new Error(String(error));
    }
    this.#entries.set(field, { fields: table.fields, text, result });
    return result;
  }
}
