import type { EmulatorContext } from '../context.ts';
import { selectChoices, type WriteContext } from '../fields/write-context.ts';
import { normalizeWrite } from '../fields/write-value.ts';
import { errors } from '../http/errors.ts';
import {
  type BaseData,
  findField,
  findTable,
  primaryField,
  tableById,
  tableRecords,
} from '../model/store.ts';
import type { CellValue, FieldDef, RecordData, TableDef } from '../model/types.ts';
import { COMPUTED_FIELD_TYPES } from '../model/types.ts';

/** Validated new cell values for one record: field id → value (undefined clears the cell). */
export type CellChanges = Map<string, CellValue | undefined>;

/**
 * Validates a request's `fields` object. With `replace` (PUT), every editable field the
 * request leaves out is cleared, as Airtable does.
 */
export function buildChanges(
  table: TableDef,
  input: unknown,
  wctx: WriteContext,
  previous: RecordData | undefined,
  replace: boolean,
): CellChanges {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw errors.invalidRecords();
  const changes: CellChanges = new Map();
  for (const [key, raw] of Object.entries(input)) {
    const field = findField(table, key);
    changes.set(field.id, normalizeWrite(field, raw, wctx, previous?.cells[field.id]));
  }
  if (replace) {
    for (const field of table.fields) {
      if (!COMPUTED_FIELD_TYPES.has(field.type) && !changes.has(field.id)) changes.set(field.id, undefined);
    }
  }
  return changes;
}

const CHOICE_COLORS = [
  'blueLight2',
  'cyanLight2',
  'tealLight2',
  'greenLight2',
  'yellowLight2',
  'orangeLight2',
];

/** Applies what typecast implied once the whole request is known to be valid. */
export function commitTypecastEffects(ctx: EmulatorContext, wctx: WriteContext): void {
  for (const table of wctx.base.tables) {
    for (const field of table.fields) {
      const pending = wctx.pendingChoices.get(field.id);
      if (!pending) continue;
      const choices = [...selectChoices(field)];
      for (const name of pending) {
        if (choices.some((c) => c.name === name)) continue;
        choices.push({
          id: ctx.ids('sel'),
          name,
          color: CHOICE_COLORS[choices.length % CHOICE_COLORS.length],
        });
      }
      field.options = { ...field.options, choices };
    }
  }
  for (const [tableId, byName] of wctx.pendingLinks) {
    const table = findTable(wctx.base, tableId);
    const primary = primaryField(table);
    for (const [name, id] of byName) {
      const record = newRecord(ctx, wctx.base, table, id);
      record.cells[primary.id] = name;
      tableRecords(wctx.base, table.id).set(id, record);
    }
  }
}

export function newRecord(
  ctx: EmulatorContext,
  base: BaseData,
  table: TableDef,
  id = ctx.ids('rec'),
): RecordData {
  const now = ctx.store.nowIso();
  const record: RecordData = { id, createdTime: now, lastModifiedTime: now, cells: {}, cellModifiedTime: {} };
  for (const field of table.fields) {
    if (field.type !== 'autoNumber') continue;
    const next = (base.autoNumbers.get(field.id) ?? 0) + 1;
    base.autoNumbers.set(field.id, next);
    record.cells[field.id] = next;
  }
  return record;
}

function sameCell(a: CellValue | undefined, b: CellValue | undefined): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** Writes changes into a record, keeping modification times and inverse links in step. */
export function applyChanges(
  ctx: EmulatorContext,
  base: BaseData,
  table: TableDef,
  record: RecordData,
  changes: CellChanges,
) {
  const now = ctx.store.nowIso();
  let changed = false;
  for (const [fieldId, value] of changes) {
    const before = record.cells[fieldId];
    if (sameCell(before, value)) continue;
    if (value === undefined) delete record.cells[fieldId];
    else record.cells[fieldId] = value;
    record.cellModifiedTime[fieldId] = now;
    changed = true;
    const field = table.fields.find((f) => f.id === fieldId);
    if (field?.type === 'multipleRecordLinks') syncInverse(base, field, record.id, before, value, now);
  }
  if (changed) record.lastModifiedTime = now;
}

/** Mirrors a link change onto the linked records' inverse field. */
function syncInverse(
  base: BaseData,
  field: FieldDef,
  recordId: string,
  before: CellValue | undefined,
  after: CellValue | undefined,
  now: string,
): void {
  const inverseId = field.options?.inverseLinkFieldId;
  const target = tableById(base, String(field.options?.linkedTableId ?? ''));
  if (typeof inverseId !== 'string' || !target) return;
  const oldIds = new Set(Array.isArray(before) ? (before as string[]) : []);
  const newIds = new Set(Array.isArray(after) ? (after as string[]) : []);
  const records = tableRecords(base, target.id);
  const edit = (id: string, mutate: (links: string[]) => string[]) => {
    const linked = records.get(id);
    if (!linked) return;
    const links = mutate(
      Array.isArray(linked.cells[inverseId]) ? [...(linked.cells[inverseId] as string[])] : [],
    );
    if (links.length === 0) delete linked.cells[inverseId];
    else linked.cells[inverseId] = links;
    linked.cellModifiedTime[inverseId] = now;
    linked.lastModifiedTime = now;
  };
  for (const id of oldIds) if (!newIds.has(id)) edit(id, (links) => links.filter((l) => l !== recordId));
  for (const id of newIds)
    if (!oldIds.has(id)) edit(id, (links) => (links.includes(recordId) ? links : [...links, recordId]));
}

/** Removes a deleted record from every link that points at it. */
export function unlinkEverywhere(base: BaseData, table: TableDef, recordId: string, now: string): void {
  for (const other of base.tables) {
    for (const field of other.fields) {
      if (field.type !== 'multipleRecordLinks' || field.options?.linkedTableId !== table.id) continue;
      for (const record of tableRecords(base, other.id).values()) {
        const links = record.cells[field.id];
        if (!Array.isArray(links) || !(links as string[]).includes(recordId)) continue;
        const rest = (links as string[]).filter((l) => l !== recordId);
        if (rest.length === 0) delete record.cells[field.id];
        else record.cells[field.id] = rest;
        record.cellModifiedTime[field.id] = now;
        record.lastModifiedTime = now;
      }
    }
  }
}
