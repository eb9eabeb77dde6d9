import type { FormulaCache } from '../fields/formula-cache.ts';
import type { FieldDef, TableDef } from './types.ts';

/** A field as the schema API returns it; computed fields report their result type. */
export function fieldJson(formulas: FormulaCache, table: TableDef, field: FieldDef): Record<string, unknown> {
  const json: Record<string, unknown> = { type: field.type, id: field.id, name: field.name };
  if (field.description !== undefined) json.description = field.description;
  let options = field.options;
  if (field.type === 'formula') {
    const compiled = formulas.get(table, field);
    const valid = !(compiled instanceof Error);
    options = {
      formula: formulaWithIds(table, String(field.options?.formula ?? '')),
      isValid: valid,
      referencedFieldIds: valid ? compiled.referencedFieldIds : [],
      result: valid ? { type: compiled.resultType } : null,
    };
  } else if (field.type === 'createdTime' || field.type === 'lastModifiedTime') {
    options = {
      ...(field.type === 'lastModifiedTime'
        ? { isValid: true, referencedFieldIds: field.options?.referencedFieldIds ?? [] }
        : {}),
      result: {
        type: 'dateTime',
        options: {
          dateFormat: { name: 'iso', format: 'YYYY-MM-DD' },
          timeFormat: { name: '24hour', format: 'HH:mm' },
          timeZone: 'utc',
        },
      },
    };
  }
  if (options !== undefined && Object.keys(options).length > 0) json.options = options;
  return json;
}

/** Airtable's schema shows formulas with `{fldId}` references rather than names. */
function formulaWithIds(table: TableDef, formula: string): string {
  return formula.replace(/\{((?:\\.|[^}\\])*)\}/g, (whole, raw: string) => {
    const name = raw.replace(/\\(.)/g, '$1');
    const field = table.fields.find((f) => f.name === name || f.id === name);
    return field ? `{${field.id}}` : whole;
  });
}

export function tableJson(formulas: FormulaCache, table: TableDef, includeVisibleFieldIds: boolean) {
  const json: Record<string, unknown> = {
    id: table.id,
    name: table.name,
    primaryFieldId: table.primaryFieldId,
  };
  if (table.description !== undefined) json.description = table.description;
  json.fields = table.fields.map((f) => fieldJson(formulas, table, f));
  json.views = table.views.map((v) => {
    const view: Record<string, unknown> = { id: v.id, name: v.name, type: v.type };
    if (includeVisibleFieldIds && v.type === 'grid')
      view.visibleFieldIds = v.visibleFieldIds ?? table.fields.map((f) => f.id);
    return view;
  });
  return json;
}
