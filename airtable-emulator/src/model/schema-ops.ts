import type { EmulatorContext } from '../context.ts';
import { errors } from '../http/errors.ts';
import { checkDescription, checkName, newFieldFromInput, PRIMARY_TYPES } from './field-spec.ts';
import { type BaseData, findField, tableById } from './store.ts';
import type { FieldDef, TableDef } from './types.ts';

function rejectUnknownKeys(body: Record<string, unknown>, allowed: string[]): void {
  const unknown = Object.keys(body).find((k) => !allowed.includes(k));
  if (unknown !== undefined)
    throw errors.invalidRequest(`Invalid request: parameter "${unknown}" is not supported`);
}

/** Adds the other side of a new link field to the linked table, as Airtable does. */
function addInverseLink(ctx: EmulatorContext, base: BaseData, source: TableDef, field: FieldDef): void {
  const target = tableById(base, String(field.options?.linkedTableId));
  if (!target || target.id === source.id) return;
  const taken = target.fields.map((f) => f.name.toLowerCase());
  let name = source.name;
  for (let n = 2; taken.includes(name.toLowerCase()); n++) name = `${source.name} ${n}`;
  const inverse: FieldDef = {
    id: ctx.ids('fld'),
    name,
    type: 'multipleRecordLinks',
    options: {
      linkedTableId: source.id,
      isReversed: false,
      prefersSingleRecordLink: false,
      inverseLinkFieldId: field.id,
    },
  };
  field.options = { ...field.options, inverseLinkFieldId: inverse.id };
  target.fields = [...target.fields, inverse];
}

export function createTable(ctx: EmulatorContext, base: BaseData, body: Record<string, unknown>): TableDef {
  rejectUnknownKeys(body, ['name', 'description', 'fields']);
  const name = checkName(
    'Table',
    body.name,
    base.tables.map((t) => t.name),
  );
  const description = checkDescription(body.description);
  if (!Array.isArray(body.fields) || body.fields.length === 0) {
    throw errors.invalidRequest('A table needs at least one field in "fields"');
  }
  const table: TableDef = { id: ctx.ids('tbl'), name, primaryFieldId: '', fields: [], views: [] };
  if (description !== undefined) table.description = description;
  const fields: FieldDef[] = [];
  for (const input of body.fields) {
    fields.push(
      newFieldFromInput(
        input,
        fields.map((f) => f.name),
        base,
        ctx.ids,
      ),
    );
  }
  const primary = fields[0] as FieldDef;
  if (!PRIMARY_TYPES.has(primary.type)) {
    throw errors.invalidFieldType(`Field type ${primary.type} cannot be the primary field of a table`);
  }
  table.primaryFieldId = primary.id;
  table.fields = fields;
  table.views = [{ id: ctx.ids('viw'), name: 'Grid view', type: 'grid' }];
  base.tables = [...base.tables, table];
  base.records.set(table.id, new Map());
  for (const field of fields)
    if (field.type === 'multipleRecordLinks') addInverseLink(ctx, base, table, field);
  ctx.store.touch();
  return table;
}

export function updateTable(
  ctx: EmulatorContext,
  base: BaseData,
  table: TableDef,
  body: Record<string, unknown>,
) {
  rejectUnknownKeys(body, ['name', 'description', 'dateDependencySettings']);
  if (body.name === undefined && body.description === undefined) {
    throw errors.invalidRequest('Provide "name" or "description" to update');
  }
  if (body.name !== undefined) {
    table.name = checkName(
      'Table',
      body.name,
      base.tables.filter((t) => t !== table).map((t) => t.name),
    );
  }
  if (body.description !== undefined) {
    const description = checkDescription(body.description);
    if (description === undefined || description === '') delete table.description;
    else table.description = description;
  }
  ctx.store.touch();
  return table;
}

export function createField(
  ctx: EmulatorContext,
  base: BaseData,
  table: TableDef,
  body: Record<string, unknown>,
) {
  const field = newFieldFromInput(
    body,
    table.fields.map((f) => f.name),
    base,
    ctx.ids,
  );
  table.fields = [...table.fields, field];
  if (field.type === 'multipleRecordLinks') addInverseLink(ctx, base, table, field);
  ctx.store.touch();
  return field;
}

/** Renames keep formulas working: `{Old}` references are rewritten to `{New}`. */
export function updateField(
  ctx: EmulatorContext,
  table: TableDef,
  fieldIdOrName: string,
  body: Record<string, unknown>,
): FieldDef {
  rejectUnknownKeys(body, ['name', 'description']);
  if (body.name === undefined && body.description === undefined) {
    throw errors.invalidRequest('Provide "name" or "description" to update');
  }
  const field = findField(table, fieldIdOrName);
  const updated: FieldDef = { ...field };
  if (body.name !== undefined) {
    updated.name = checkName(
      'Field',
      body.name,
      table.fields.filter((f) => f !== field).map((f) => f.name),
    );
  }
  if (body.description !== undefined) {
    const description = checkDescription(body.description);
    if (description === undefined || description === '') delete updated.description;
    else updated.description = description;
  }
  const escapeName = (name: string) => name.replace(/\\/g, '\\\\').replace(/}/g, '\\}');
  const rewrite = (formula: string) =>
    formula.split(`{${escapeName(field.name)}}`).join(`{${escapeName(updated.name)}}`);
  const rename = (f: FieldDef): FieldDef => {
    if (f.type !== 'formula' || updated.name === field.name || typeof f.options?.formula !== 'string')
      return f;
    return { ...f, options: { ...f.options, formula: rewrite(f.options.formula) } };
  };
  table.fields = table.fields.map((f) => (f === field ? updated : rename(f)));
  // View filters are stored as formulas by name too; Airtable's views keep working after a rename.
  for (const view of table.views)
    if (view.filterByFormula !== undefined) view.filterByFormula = rewrite(view.filterByFormula);
  ctx.store.touch();
  return updated;
}
