import {
  type CompiledFormula,
  FormulaError,
  type FormulaValue,
  formatFormulaValue,
} from '../formula/index.ts';
import { type BaseData, primaryField, tableById, tableRecords } from '../model/store.ts';
import type { FieldDef, RecordData, TableDef } from '../model/types.ts';
import type { FormulaCache } from './formula-cache.ts';
import { storedToFormula } from './formula-values.ts';

/** Formula fields that reference each other deeper than this are treated as circular. */
const MAX_FORMULA_DEPTH = 20;

/**
 * Reads cells of one table as Airtable returns them, computing createdTime,
 * lastModifiedTime and formula fields on the fly. One reader per request.
 */
export class RecordReader {
  constructor(
    readonly base: BaseData,
    readonly table: TableDef,
    private readonly formulas: FormulaCache,
    private readonly now: Date,
  ) {}

  /** The cell in Airtable's JSON cell format, or undefined when empty (and so omitted). */
  json(field: FieldDef, record: RecordData): unknown {
    switch (field.type) {
      case 'createdTime':
        return record.createdTime;
      case 'lastModifiedTime':
        return this.lastModified(field, record);
      case 'formula':
        return formulaJson(this.formula(field, record, 0), field);
      default: {
        const cell = record.cells[field.id];
        return Array.isArray(cell) ? structuredClone(cell) : cell;
      }
    }
  }

  /** The cell in the formula domain, for filters, sorting and other formulas. */
  formulaValue(field: FieldDef, record: RecordData, depth = 0): FormulaValue {
    switch (field.type) {
      case 'createdTime':
        return new Date(record.createdTime);
      case 'lastModifiedTime':
        return new Date(this.lastModified(field, record));
      case 'formula':
        return this.formula(field, record, depth);
      default:
        return storedToFormula(field, record.cells[field.id], (ids) => this.linkNames(field, ids));
    }
  }

  /** The text of a record's primary field, as links show it. */
  primaryText(table: TableDef, record: RecordData): string {
    const reader = table === this.table ? this : new RecordReader(this.base, table, this.formulas, this.now);
    return formatFormulaValue(reader.formulaValue(primaryField(table), record));
  }

  linkNames(field: FieldDef, ids: string[]): string[] {
    const target = tableById(this.base, String(field.options?.linkedTableId ?? ''));
    if (!target) return [];
    const records = tableRecords(this.base, target.id);
    return ids.map((id) => {
      const linked = records.get(id);
      return linked ? this.primaryText(target, linked) : id;
    });
  }

  /** Evaluates a compiled formula (a formula field or a filter) against a record of this table. */
  evaluate(compiled: CompiledFormula, record: RecordData, depth = 0): FormulaValue {
    return compiled.evaluate({
      field: (fieldId: string) => {
        const f = this.table.fields.find((x) => x.id === fieldId);
        return f ? this.formulaValue(f, record, depth + 1) : null;
      },
      recordId: record.id,
      createdTime: new Date(record.createdTime),
      lastModifiedTime: new Date(record.lastModifiedTime),
      now: this.now,
    });
  }

  private formula(field: FieldDef, record: RecordData, depth: number): FormulaValue {
    if (depth > MAX_FORMULA_DEPTH) return new FormulaError('#ERROR!', 'circular formula reference');
    const compiled = this.formulas.get(this.table, field);
    if (compiled instanceof Error) return new FormulaError('#ERROR!', compiled.message);
    return this.evaluate(compiled, record, depth);
  }

  private lastModified(field: FieldDef, record: RecordData): string {
    const watched = field.options?.referencedFieldIds;
    if (!Array.isArray(watched) || watched.length === 0) return record.lastModifiedTime;
    let latest: string | undefined;
    for (const id of watched) {
      const t = record.cellModifiedTime[String(id)];
      if (t !== undefined && (latest === undefined || t > latest)) latest = t;
    }
    return latest ?? record.createdTime;
  }
}

/** A formula result in Airtable's JSON form: errors as `{error}`, NaN/Infinity as `{specialValue}`. */
export function formulaJson(value: FormulaValue, field: FieldDef): unknown {
  if (value === null) return undefined;
  if (value instanceof FormulaError) return { error: value.display };
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return { error: '#ERROR!' };
    const resultType = (field.options?.result as { type?: string } | undefined)?.type;
    return resultType === 'date' ? value.toISOString().slice(0, 10) : value.toISOString();
  }
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return { specialValue: 'NaN' };
    if (!Number.isFinite(value)) return { specialValue: value > 0 ? 'Infinity' : '-Infinity' };
    return value;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') return value === '' ? undefined : value;
  const items = value.map((v) => formulaJson(v, field)).filter((v) => v !== undefined);
  return items.length === 0 ? undefined : items;
}
