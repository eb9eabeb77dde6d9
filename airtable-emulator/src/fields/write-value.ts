import { errors } from '../http/errors.ts';
import { findTable, primaryField, tableRecords } from '../model/store.ts';
import type { Attachment, CellValue, FieldDef } from '../model/types.ts';
import { COMPUTED_FIELD_TYPES } from '../model/types.ts';
import { parseDateOnly, parseDateTime } from './dates.ts';
import { type PreviousCell, previousAttachments, selectChoices, type WriteContext } from './write-context.ts';

const TEXT_TYPES = new Set(['singleLineText', 'multilineText', 'richText', 'email', 'url', 'phoneNumber']);
const NUMBER_TYPES = new Set(['number', 'percent', 'currency', 'duration']);

/**
 * Validates one written cell value the way Airtable does and returns what to store;
 * `undefined` means the cell becomes empty. Throws Airtable's 422s.
 */
export function normalizeWrite(field: FieldDef, raw: unknown, ctx: WriteContext, previous?: PreviousCell) {
  if (COMPUTED_FIELD_TYPES.has(field.type)) throw errors.computedField(field.name);
  if (raw === null || raw === undefined) return undefined;
  if (TEXT_TYPES.has(field.type)) return text(field, raw, ctx);
  if (NUMBER_TYPES.has(field.type)) return number(field, raw, ctx);
  switch (field.type) {
    case 'rating':
      return rating(field, raw, ctx);
    case 'checkbox':
      return checkbox(field, raw, ctx);
    case 'singleSelect':
      return singleSelect(field, raw, ctx);
    case 'multipleSelects':
      return multipleSelects(field, raw, ctx);
    case 'date':
      return date(field, raw, ctx, parseDateOnly);
    case 'dateTime':
      return date(field, raw, ctx, parseDateTime);
    case 'multipleRecordLinks':
      return links(field, raw, ctx);
    case 'multipleAttachments':
      return attachments(field, raw, ctx, previous);
    default:
      throw errors.invalidValue(field.name);
  }
}

function text(field: FieldDef, raw: unknown, ctx: WriteContext): CellValue | undefined {
  let value: string;
  if (typeof raw === 'string') value = raw;
  else if (ctx.typecast && (typeof raw === 'number' || typeof raw === 'boolean')) value = String(raw);
  else throw errors.invalidValue(field.name);
  if (field.type === 'singleLineText') value = value.replace(/\r?\n/g, ' ');
  return value === '' ? undefined : value;
}

function toNumber(field: FieldDef, raw: unknown, ctx: WriteContext): number {
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  if (ctx.typecast && typeof raw === 'string') {
    const cleaned = raw.replace(/[,\s$€£¥]/g, '');
    const percent = cleaned.endsWith('%');
    const parsed = Number(percent ? cleaned.slice(0, -1) : cleaned);
    if (cleaned !== '' && Number.isFinite(parsed)) return percent ? parsed / 100 : parsed;
  }
  throw errors.invalidValue(field.name);
}

function number(field: FieldDef, raw: unknown, ctx: WriteContext): CellValue | undefined {
  if (ctx.typecast && raw === '') return undefined;
  const value = toNumber(field, raw, ctx);
  const precision = field.options?.precision;
  if (typeof precision === 'number' && field.type !== 'percent') {
    const factor = 10 ** precision;
    return Math.round(value * factor) / factor;
  }
  return value;
}

function rating(field: FieldDef, raw: unknown, ctx: WriteContext): CellValue | undefined {
  const value = toNumber(field, raw, ctx);
  const max = typeof field.options?.max === 'number' ? field.options.max : 5;
  if (!Number.isInteger(value) || value < 0 || value > max) throw errors.invalidValue(field.name);
  return value === 0 ? undefined : value;
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', 'on', 'checked', '1', 'x']);
const FALSE_WORDS = new Set(['false', 'no', 'n', 'off', 'unchecked', '0', '']);

function checkbox(field: FieldDef, raw: unknown, ctx: WriteContext): CellValue | undefined {
  let value: boolean | undefined;
  if (typeof raw === 'boolean') value = raw;
  else if (ctx.typecast && typeof raw === 'string') {
    const word = raw.trim().toLowerCase();
    value = TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : undefined;
  } else if (ctx.typecast && typeof raw === 'number') value = raw !== 0;
  if (value === undefined) throw errors.invalidValue(field.name);
  return value ? true : undefined;
}

function choiceName(field: FieldDef, raw: unknown, ctx: WriteContext): string | undefined {
  let name: string;
  if (typeof raw === 'string') name = raw;
  else if (ctx.typecast && (typeof raw === 'number' || typeof raw === 'boolean')) name = String(raw);
  else throw errors.invalidValue(field.name);
  if (ctx.typecast) name = name.trim();
  if (name === '') return undefined;
  const choices = selectChoices(field);
  const existing = choices.find((c) => c.name === name || c.id === name);
  if (existing) return existing.name;
  if (ctx.typecast) {
    const caseless = choices.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (caseless) return caseless.name;
    const pending = ctx.pendingChoices.get(field.id) ?? [];
    if (!pending.includes(name)) pending.push(name);
    ctx.pendingChoices.set(field.id, pending);
    return name;
  }
  throw errors.invalidSelectOption(name);
}

function singleSelect(field: FieldDef, raw: unknown, ctx: WriteContext): CellValue | undefined {
  if (Array.isArray(raw)) throw errors.invalidValue(field.name);
  return choiceName(field, raw, ctx);
}

function multipleSelects(field: FieldDef, raw: unknown, ctx: WriteContext): CellValue | undefined {
  let items: unknown[];
  if (Array.isArray(raw)) items = raw;
  else if (ctx.typecast && typeof raw === 'string') items = raw.split(',');
  else throw errors.invalidValue(field.name);
  const names: string[] = [];
  for (const item of items) {
    const name = choiceName(field, item, ctx);
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  return names.length === 0 ? undefined : names;
}

function date(
  field: FieldDef,
  raw: unknown,
  ctx: WriteContext,
  parse: (value: string, lenient: boolean) => string | undefined,
): CellValue | undefined {
  if (raw === '' && ctx.typecast) return undefined;
  if (typeof raw !== 'string') throw errors.invalidValue(field.name);
  const value = parse(raw, ctx.typecast);
  if (value === undefined)
    throw errors.invalidValue(field.name, `${JSON.stringify(raw)} is not a valid date`);
  return value;
}

function links(field: FieldDef, raw: unknown, ctx: WriteContext): CellValue | undefined {
  let items: unknown[];
  if (Array.isArray(raw)) items = raw;
  else if (ctx.typecast && typeof raw === 'string') items = raw.split(',').map((s) => s.trim());
  else throw errors.invalidValue(field.name);
  const linkedTableId = String(field.options?.linkedTableId ?? '');
  const target = findTable(ctx.base, linkedTableId);
  const records = tableRecords(ctx.base, target.id);
  const ids: string[] = [];
  for (const item of items) {
    const id = typeof item === 'object' && item !== null && 'id' in item ? item.id : item;
    if (typeof id !== 'string') throw errors.invalidValue(field.name);
    if (id === '') continue;
    let resolved = records.has(id) ? id : undefined;
    if (resolved === undefined && ctx.typecast) resolved = linkByPrimaryValue(ctx, target.id, id);
    if (resolved === undefined) {
      throw errors.invalidValue(
        field.name,
        `record ID ${JSON.stringify(id)} does not exist in table "${target.name}"`,
      );
    }
    if (!ids.includes(resolved)) ids.push(resolved);
  }
  return ids.length === 0 ? undefined : ids;
}

/** Typecast links by the linked record's primary value, creating the record when none matches. */
function linkByPrimaryValue(ctx: WriteContext, tableId: string, value: string): string {
  const table = findTable(ctx.base, tableId);
  const primary = primaryField(table);
  for (const record of tableRecords(ctx.base, tableId).values()) {
    if (String(record.cells[primary.id] ?? '') === value) return record.id;
  }
  const pending = ctx.pendingLinks.get(tableId) ?? new Map<string, string>();
  ctx.pendingLinks.set(tableId, pending);
  let id = pending.get(value);
  if (id === undefined) {
    id = ctx.ids('rec');
    pending.set(value, id);
  }
  return id;
}

const MIME_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
  csv: 'text/csv',
  txt: 'text/plain',
};

function attachments(field: FieldDef, raw: unknown, ctx: WriteContext, previous: PreviousCell) {
  if (!Array.isArray(raw)) throw errors.invalidValue(field.name);
  const kept = previousAttachments(previous);
  const result: Attachment[] = [];
  for (const item of raw) {
    if (typeof item !== 'object' || item === null) throw errors.invalidValue(field.name);
    const { id, url, filename } = item as Record<string, unknown>;
    if (typeof id === 'string' && url === undefined) {
      const existing = kept.find((a) => a.id === id);
      if (!existing) throw errors.invalidValue(field.name, `attachment ${id} is not in this cell`);
      result.push(existing);
      continue;
    }
    if (typeof url !== 'string' || !/^https?:\/\/[^\s]+$/i.test(url)) throw errors.invalidValue(field.name);
    if (filename !== undefined && typeof filename !== 'string') throw errors.invalidValue(field.name);
    const name = filename ?? decodeURIComponent(new URL(url).pathname.split('/').pop() || 'attachment');
    const extension = name.split('.').pop()?.toLowerCase() ?? '';
    result.push({
      id: ctx.ids('att'),
      url,
      filename: name,
      size: 0,
      type: MIME_BY_EXTENSION[extension] ?? 'application/octet-stream',
    });
  }
  return result.length === 0 ? undefined : result;
}
