import type { FieldSchema, TableSchema } from '@airsuite/airtable-gateway';
import { ToolError } from '../core/tool-error.ts';
import { resolveField } from './schema.ts';

/** One structured condition: `{ field, op, value }`, as a model writes it. */
export interface FilterCondition {
  field: string;
  op: string;
  value?: unknown;
}

export type FilterMatch = 'all' | 'any';

/** How a field behaves in a filter. */
export type FilterKind = 'number' | 'text' | 'select' | 'list' | 'checkbox' | 'date';

export const OPS_BY_KIND: Readonly<Record<FilterKind, readonly string[]>> = {
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'is_empty', 'is_not_empty'],
  text: [
    'equals',
    'not_equals',
    'contains',
    'not_contains',
    'starts_with',
    'ends_with',
    'is_empty',
    'is_not_empty',
  ],
  select: ['equals', 'not_equals', 'is_any_of', 'is_empty', 'is_not_empty'],
  list: ['has_any_of', 'has_all_of', 'has_none_of', 'is_empty', 'is_not_empty'],
  checkbox: ['is_true', 'is_false'],
  date: ['on', 'before', 'after', 'between', 'is_empty', 'is_not_empty'],
};

const NUMBER_TYPES = new Set(['number', 'currency', 'percent', 'rating', 'duration', 'autoNumber', 'count']);
const DATE_TYPES = new Set(['date', 'dateTime', 'createdTime', 'lastModifiedTime']);
const LIST_TYPES = new Set(['multipleSelects', 'multipleRecordLinks', 'multipleLookupValues']);

/** The type that decides filtering: a formula or rollup counts as its result type. */
export function effectiveType(field: FieldSchema): string {
  const result = (field.options as { result?: { type?: string } } | undefined)?.result;
  return result?.type ?? field.type;
}

export function filterKind(field: FieldSchema): FilterKind {
  const type = effectiveType(field);
  if (NUMBER_TYPES.has(type)) return 'number';
  if (DATE_TYPES.has(type)) return 'date';
  if (LIST_TYPES.has(type)) return 'list';
  if (type === 'singleSelect') return 'select';
  if (type === 'checkbox') return 'checkbox';
  return 'text';
}

/** A formula string literal: single quotes, with `\` and `'` escaped. */
export function formulaString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * A formula field reference: `{Name}` with `}` escaped as `\}`. Inside braces Airtable (and
 * the emulator) treat only `\}` as an escape; every other backslash is literal.
 */
export function fieldRef(name: string): string {
  return `{${name.replace(/\}/g, '\\}')}}`;
}

function invalid(field: FieldSchema, op: string, problem: string): ToolError {
  const kind = filterKind(field);
  return new ToolError(
    'TOOL_INVALID_FILTER',
    `Filter on "${field.name}" (type ${effectiveType(field)}): ${problem}. Allowed ops: ${OPS_BY_KIND[kind].join(', ')}.`,
    { field: field.name, type: effectiveType(field), op, allowedOps: [...OPS_BY_KIND[kind]] },
  );
}

function num(field: FieldSchema, op: string, value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw invalid(field, op, 'value must be a number');
  return String(value);
}

function str(field: FieldSchema, op: string, value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string' || value === '') throw invalid(field, op, 'value must be a non-empty string');
  return value;
}

function pair(field: FieldSchema, op: string, value: unknown): [unknown, unknown] {
  if (!Array.isArray(value) || value.length !== 2)
    throw invalid(field, op, 'between takes value [low, high]');
  return [value[0], value[1]];
}

function list(field: FieldSchema, op: string, value: unknown): string[] {
  const values = Array.isArray(value) ? value : [value];
  if (values.length === 0 || values.some((v) => typeof v !== 'string' || v === ''))
    throw invalid(field, op, 'value must be a string or a non-empty array of strings');
  return values as string[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

function date(field: FieldSchema, op: string, value: unknown): string {
  if (typeof value !== 'string' || !ISO_DATE.test(value) || Number.isNaN(Date.parse(value)))
    throw invalid(field, op, 'value must be an ISO date like 2026-07-01 or 2026-07-01T09:00:00Z');
  return `DATETIME_PARSE(${formulaString(value)})`;
}

/** Select choices by name, case-insensitively; an unknown one lists the real choices. */
function choice(field: FieldSchema, op: string, value: string): string {
  const choices = (field.options as { choices?: { name: string }[] } | undefined)?.choices;
  if (!choices) return value;
  const hit =
    choices.find((c) => c.name === value) ??
    choices.find((c) => c.name.toLowerCase() === value.toLowerCase());
  if (!hit)
    throw invalid(field, op, `"${value}" is not a choice; choices: ${choices.map((c) => c.name).join(', ')}`);
  return hit.name;
}

const NUMBER_CMP: Record<string, string> = { eq: '=', neq: '!=', gt: '>', gte: '>=', lt: '<', lte: '<=' };

function compileOne(field: FieldSchema, op: string, value: unknown): string {
  const kind = filterKind(field);
  if (!OPS_BY_KIND[kind].includes(op)) throw invalid(field, op, `op "${op}" does not fit this field`);
  const ref = fieldRef(field.name);
  const text = `(${ref}&'')`;
  if (op === 'is_empty') return kind === 'list' ? `LEN(ARRAYJOIN(${ref}, ''))=0` : `LEN(${text})=0`;
  if (op === 'is_not_empty') return kind === 'list' ? `LEN(ARRAYJOIN(${ref}, ''))>0` : `LEN(${text})>0`;
  switch (kind) {
    case 'number': {
      if (op === 'between') {
        const [low, high] = pair(field, op, value);
        return `AND(${ref}>=${num(field, op, low)}, ${ref}<=${num(field, op, high)})`;
      }
      return `AND(LEN(${text})>0, ${ref}${NUMBER_CMP[op]}${num(field, op, value)})`;
    }
    case 'text': {
      const v = formulaString(str(field, op, value).toLowerCase());
      const lower = `LOWER${text}`;
      if (op === 'equals') return `${lower}=${v}`;
      if (op === 'not_equals') return `${lower}!=${v}`;
      if (op === 'contains') return `FIND(${v}, ${lower})>0`;
      if (op === 'not_contains') return `FIND(${v}, ${lower})=0`;
      const length = `LEN(${v})`;
      return op === 'starts_with' ? `LEFT(${lower}, ${length})=${v}` : `RIGHT(${lower}, ${length})=${v}`;
    }
    case 'select': {
      const names = op === 'is_any_of' ? list(field, op, value) : [str(field, op, value)];
      const tests = names.map((n) => `${text}=${formulaString(choice(field, op, n))}`);
      if (op === 'not_equals') return `NOT(${tests[0]})`;
      return tests.length === 1 ? (tests[0] as string) : `OR(${tests.join(', ')})`;
    }
    case 'list': {
      const names = list(field, op, value);
      const isSelect = effectiveType(field) === 'multipleSelects';
      const joined = `('|'&LOWER(ARRAYJOIN(${ref}, '|'))&'|')`;
      const tests = names.map(
        (n) =>
          `FIND(${formulaString(`|${(isSelect ? choice(field, op, n) : n).toLowerCase()}|`)}, ${joined})>0`,
      );
      if (op === 'has_all_of') return tests.length === 1 ? (tests[0] as string) : `AND(${tests.join(', ')})`;
      const any = tests.length === 1 ? (tests[0] as string) : `OR(${tests.join(', ')})`;
      return op === 'has_none_of' ? `NOT(${any})` : any;
    }
    case 'checkbox':
      return op === 'is_true' ? `${ref}` : `NOT(${ref})`;
    case 'date': {
      if (op === 'between') {
        const [from, to] = pair(field, op, value);
        return `AND(LEN(${text})>0, NOT(IS_BEFORE(${ref}, ${date(field, op, from)})), NOT(IS_AFTER(${ref}, ${date(field, op, to)})))`;
      }
      const d = date(field, op, value);
      if (op === 'on') return `AND(LEN(${text})>0, IS_SAME(${ref}, ${d}, 'day'))`;
      return `AND(LEN(${text})>0, ${op === 'before' ? 'IS_BEFORE' : 'IS_AFTER'}(${ref}, ${d}))`;
    }
  }
}

/**
 * Compiles structured conditions (checked against the table's schema) and an optional raw
 * formula into one `filterByFormula`; undefined when there is nothing to filter on.
 */
export function compileFilter(
  table: TableSchema,
  conditions: readonly FilterCondition[] = [],
  options: { match?: FilterMatch; formula?: string } = {},
): string | undefined {
  const parts = conditions.map((c) => compileOne(resolveField(table, c.field), c.op, c.value));
  let structured: string | undefined;
  if (parts.length === 1) structured = parts[0];
  else if (parts.length > 1) structured = `${options.match === 'any' ? 'OR' : 'AND'}(${parts.join(', ')})`;
  const raw = options.formula?.trim() || undefined;
  if (structured && raw) return `AND(${structured}, ${raw})`;
  return structured ?? raw;
}
