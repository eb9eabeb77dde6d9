import { codedError } from '@airsuite/airtable-gateway/coded-error';
import type { EmulatorContext } from '../context.ts';
import { createWriteContext } from '../fields/write-context.ts';
import { normalizeWrite } from '../fields/write-value.ts';
import { AirtableApiError } from '../http/airtable-error.ts';
import { type BaseData, findField, tableRecords } from '../model/store.ts';
import type { Attachment, FieldDef, RecordData, TableDef, ViewDef } from '../model/types.ts';
import { applyChanges, type CellChanges, newRecord } from '../records/cells.ts';
import { type Fixture, fixtureSchema, type ParsedFixture } from './fixture-schema.ts';

/** The one code of FixtureError. */
export type FixtureErrorCode = 'EMULATOR_FIXTURE_INVALID';

/** A fixture that cannot be loaded; `problems` says where and why. */
export class FixtureError extends codedError<FixtureErrorCode>('FixtureError') {
  constructor(readonly problems: string[]) {
    super('EMULATOR_FIXTURE_INVALID', `Invalid fixture: ${problems.slice(0, 5).join('; ')}`);
  }
}

type ParsedBase = ParsedFixture['bases'][number];
type ParsedTable = ParsedBase['tables'][number];

export function parseFixture(input: unknown): ParsedFixture {
  const parsed = fixtureSchema.safeParse(input);
  if (!parsed.success) {
    throw new FixtureError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return parsed.data;
}

/** Loads a fixture's users and bases into the store (bases with the same id are replaced). */
export function loadFixture(ctx: EmulatorContext, input: Fixture | unknown): BaseData[] {
  const fixture = parseFixture(input);
  const { bases, users } = ctx.store;
  const [savedBases, savedUsers] = [new Map(bases), new Map(users)];
  try {
    for (const user of fixture.users ?? []) users.set(user.id, { ...user });
    return fixture.bases.map((b) => {
      try {
        return loadBase(ctx, b);
      } catch (error) {
        if (error instanceof AirtableApiError) throw new FixtureError([`base "${b.name}": ${error.message}`]);
        throw error;
      }
    });
  } catch (error) {
    // All or nothing: a fixture that fails half-way leaves no half-built base and replaces none.
    bases.clear();
    for (const [id, base] of savedBases) bases.set(id, base);
    users.clear();
    for (const [id, user] of savedUsers) users.set(id, user);
    throw error;
  }
}

function loadBase(ctx: EmulatorContext, input: ParsedBase): BaseData {
  const tables: TableDef[] = input.tables.map((t) => ({
    id: t.id ?? ctx.ids('tbl'),
    name: t.name,
    primaryFieldId: '',
    fields: t.fields.map((f) => ({
      ...f,
      id: f.id ?? ctx.ids('fld'),
      options: f.options ? structuredClone(f.options) : undefined,
    })),
    views: [],
    ...(t.description === undefined ? {} : { description: t.description }),
  }));
  for (const table of tables)
    for (const field of table.fields) if (field.options === undefined) delete field.options;
  ctx.store.bases.delete(input.id ?? '');
  const base = ctx.store.addBase({
    id: input.id ?? ctx.ids('app'),
    name: input.name,
    permissionLevel: input.permissionLevel,
    tables,
  });
  for (const [i, t] of input.tables.entries()) finishTable(ctx, base, t, tables[i] as TableDef);
  pairLinks(ctx, base);
  loadRecords(ctx, base, input.tables);
  ctx.store.touch();
  return base;
}

function finishTable(ctx: EmulatorContext, base: BaseData, input: ParsedTable, table: TableDef): void {
  table.primaryFieldId = input.primaryField
    ? findField(table, input.primaryField).id
    : (table.fields[0] as FieldDef).id;
  for (const field of table.fields) {
    const options = field.options;
    if (Array.isArray(options?.choices)) {
      options.choices = (options.choices as { id?: string; name: string }[]).map((c) => ({
        ...c,
        id: c.id ?? ctx.ids('sel'),
      }));
    }
    if (field.type === 'multipleRecordLinks') {
      const target = base.tables.find(
        (t) => t.id === options?.linkedTableId || t.name === options?.linkedTableId,
      );
      if (!target)
        throw new FixtureError([`${table.name}.${field.name}: linkedTableId names no table of the base`]);
      field.options = {
        isReversed: false,
        prefersSingleRecordLink: false,
        ...options,
        linkedTableId: target.id,
      };
    }
  }
  const views = input.views ?? [{ name: 'Grid view', type: 'grid' as const }];
  table.views = views.map((v) => {
    const view: ViewDef = { id: v.id ?? ctx.ids('viw'), name: v.name, type: v.type };
    if (v.filterByFormula !== undefined) view.filterByFormula = v.filterByFormula;
    if (v.sort)
      view.sorts = v.sort.map((s) => ({ fieldId: findField(table, s.field).id, direction: s.direction }));
    if (v.visibleFields) view.visibleFieldIds = v.visibleFields.map((name) => findField(table, name).id);
    return view;
  });
}

/** Every link field gets an inverse: the declared one, a matching field pointing back, or a new one. */
function pairLinks(ctx: EmulatorContext, base: BaseData): void {
  for (const table of base.tables) {
    for (const field of table.fields) {
      if (field.type !== 'multipleRecordLinks' || field.options?.inverseLinkFieldId) continue;
      const target = base.tables.find((t) => t.id === field.options?.linkedTableId) as TableDef;
      if (target.id === table.id) continue;
      let inverse = target.fields.find(
        (f) =>
          f.type === 'multipleRecordLinks' &&
          f.options?.linkedTableId === table.id &&
          !f.options?.inverseLinkFieldId,
      );
      if (!inverse) {
        inverse = {
          id: ctx.ids('fld'),
          name: uniqueName(target, table.name),
          type: 'multipleRecordLinks',
          options: { linkedTableId: table.id, isReversed: false, prefersSingleRecordLink: false },
        };
        target.fields = [...target.fields, inverse];
      }
      field.options = { ...field.options, inverseLinkFieldId: inverse.id };
      inverse.options = { ...inverse.options, inverseLinkFieldId: field.id };
    }
  }
}

function uniqueName(table: TableDef, wanted: string): string {
  let name = wanted;
  for (let n = 2; table.fields.some((f) => f.name.toLowerCase() === name.toLowerCase()); n++)
    name = `${wanted} ${n}`;
  return name;
}

/** Two passes: plain cells first, then links, so a link may name a record of a later table. */
function loadRecords(ctx: EmulatorContext, base: BaseData, inputs: ParsedTable[]): void {
  const linkCells: { table: TableDef; record: RecordData; changes: CellChanges }[] = [];
  const wctx = createWriteContext(base, false, ctx.ids);
  inputs.forEach((input, i) => {
    const table = base.tables[i] as TableDef;
    const records = tableRecords(base, table.id);
    for (const r of input.records ?? []) {
      const record = newRecord(ctx, base, table, r.id ?? ctx.ids('rec'));
      if (r.createdTime) record.createdTime = record.lastModifiedTime = new Date(r.createdTime).toISOString();
      const plain: CellChanges = new Map();
      const links: CellChanges = new Map();
      for (const [key, value] of Object.entries(r.fields)) {
        const field = findField(table, key);
        if (field.type === 'autoNumber' && typeof value === 'number') {
          record.cells[field.id] = value;
          base.autoNumbers.set(field.id, Math.max(base.autoNumbers.get(field.id) ?? 0, value));
        } else if (field.type === 'multipleRecordLinks') links.set(field.id, value as never);
        else if (field.type === 'multipleAttachments' && isStoredAttachmentList(value)) {
          if (value.length > 0) record.cells[field.id] = structuredClone(value);
        } else if (!['formula', 'createdTime', 'lastModifiedTime', 'autoNumber'].includes(field.type)) {
          plain.set(field.id, normalizeWrite(field, value, wctx));
        }
      }
      for (const [id, value] of plain) if (value !== undefined) record.cells[id] = value;
      records.set(record.id, record);
      linkCells.push({ table, record, changes: links });
      for (const c of r.comments ?? []) {
        const author = ctx.store.users.get(c.authorId ?? '') ?? [...ctx.store.users.values()][0];
        const list = base.comments.get(record.id) ?? [];
        list.push({
          id: c.id ?? ctx.ids('com'),
          recordId: record.id,
          author: {
            id: author?.id ?? 'usrUnknownAuthor0',
            email: author?.email ?? '',
            ...(author?.name ? { name: author.name } : {}),
          },
          text: c.text,
          createdTime: c.createdTime ?? record.createdTime,
          lastUpdatedTime: c.lastUpdatedTime ?? null,
          ...(c.parentCommentId ? { parentCommentId: c.parentCommentId } : {}),
        });
        base.comments.set(record.id, list);
      }
    }
  });
  for (const { table, record, changes } of linkCells) {
    const checked: CellChanges = new Map();
    for (const [fieldId, value] of changes) {
      checked.set(
        fieldId,
        normalizeWrite(table.fields.find((f) => f.id === fieldId) as FieldDef, value, wctx),
      );
    }
    applyChanges(ctx, base, table, record, checked);
  }
  // A loaded record was last modified when it was created, whatever order links were wired in.
  for (const { record } of linkCells) {
    record.lastModifiedTime = record.createdTime;
    for (const id of Object.keys(record.cells)) record.cellModifiedTime[id] = record.createdTime;
  }
}

/** Fixture attachments carry their ids (as exports do), so they are kept, not re-uploaded. */
function isStoredAttachmentList(value: unknown): value is Attachment[] {
  return (
    Array.isArray(value) &&
    value.every(
      (a) =>
        typeof a === 'object' &&
        a !== null &&
        typeof a.id === 'string' &&
        typeof a.url === 'string' &&
        typeof a.filename === 'string',
    )
  );
}
