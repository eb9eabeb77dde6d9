import type { BaseSchema, WebhookPayload } from '@airsuite/airtable-gateway';

export interface FieldName {
  name: string;
  type: string;
}

export interface TableName {
  name: string;
  description?: string;
}

/** What ids are called at one moment: payloads name fields and tables by id only. */
export interface Names {
  fields: ReadonlyMap<string, FieldName>;
  tables: ReadonlyMap<string, TableName>;
}

export function namesOfSchema(schema: BaseSchema): Names {
  const fields = new Map<string, FieldName>();
  const tables = new Map<string, TableName>();
  for (const table of schema.tables) {
    tables.set(table.id, {
      name: table.name,
      ...(table.description ? { description: table.description } : {}),
    });
    for (const field of table.fields) fields.set(field.id, { name: field.name, type: field.type });
  }
  return { fields, tables };
}

/** Every field and table id a page of payloads names. */
export function idsNamedBy(payloads: readonly WebhookPayload[]): {
  fields: Set<string>;
  tables: Set<string>;
} {
  const fields = new Set<string>();
  const tables = new Set<string>();
  for (const payload of payloads) {
    for (const [tableId, changes] of Object.entries(payload.changedTablesById ?? {})) {
      tables.add(tableId);
      for (const id of Object.keys(changes.createdFieldsById ?? {})) fields.add(id);
      for (const id of Object.keys(changes.changedFieldsById ?? {})) fields.add(id);
      for (const record of Object.values(changes.createdRecordsById ?? {}))
        for (const id of Object.keys(record.cellValuesByFieldId)) fields.add(id);
      for (const record of Object.values(changes.changedRecordsById ?? {}))
        for (const id of Object.keys(record.current.cellValuesByFieldId)) fields.add(id);
    }
    for (const [tableId, table] of Object.entries(payload.createdTablesById ?? {})) {
      tables.add(tableId);
      for (const id of Object.keys(table.fieldsById ?? {})) fields.add(id);
    }
  }
  return { fields, tables };
}

/** Fields and tables a page creates, as the page names them: for ids gone from the schema since. */
function createdIn(payloads: readonly WebhookPayload[], latest: Names): Names {
  const fields = new Map(latest.fields);
  const tables = new Map(latest.tables);
  for (const payload of payloads) {
    for (const [tableId, table] of Object.entries(payload.createdTablesById ?? {})) {
      if (table.metadata && !tables.has(tableId)) tables.set(tableId, { name: table.metadata.name });
      for (const [id, field] of Object.entries(table.fieldsById ?? {}))
        if (!fields.has(id)) fields.set(id, field);
    }
    for (const changes of Object.values(payload.changedTablesById ?? {}))
      for (const [id, field] of Object.entries(changes.createdFieldsById ?? {}))
        if (!fields.has(id)) fields.set(id, field);
  }
  return { fields, tables };
}

/** The names in force before `payload`, from those after it: its renames undone (previous definitions). */
function undo(payload: WebhookPayload, after: Names): Names {
  let fields: Map<string, FieldName> | undefined;
  let tables: Map<string, TableName> | undefined;
  for (const [tableId, changes] of Object.entries(payload.changedTablesById ?? {})) {
    for (const [fieldId, change] of Object.entries(changes.changedFieldsById ?? {})) {
      const previous = change.previous;
      const current = after.fields.get(fieldId);
      if (!previous || !current || (previous.name === undefined && previous.type === undefined)) continue;
      fields ??= new Map(after.fields);
      fields.set(fieldId, { name: previous.name ?? current.name, type: previous.type ?? current.type });
    }
    const previousName = changes.changedMetadata?.previous?.name;
    const table = after.tables.get(tableId);
    if (previousName !== undefined && table) {
      tables ??= new Map(after.tables);
      tables.set(tableId, { ...table, name: previousName });
    }
  }
  return fields || tables ? { fields: fields ?? after.fields, tables: tables ?? after.tables } : after;
}

/**
 * The names in force right after each payload of a page (oldest first), worked back from the
 * latest names (the base's schema now): a record changed before a rename is reported under
 * the name its field had then. A field or table the schema no longer has keeps the name the
 * page created it with.
 */
export function namesAfterEach(payloads: readonly WebhookPayload[], latest: Names): Names[] {
  const result: Names[] = new Array(payloads.length);
  let names = createdIn(payloads, latest);
  for (let i = payloads.length - 1; i >= 0; i -= 1) {
    result[i] = names;
    names = undo(payloads[i] as WebhookPayload, names);
  }
  return result;
}
