import { errors } from '../http/errors.ts';
import type { IdGenerator } from './ids.ts';
import type { BaseData } from './store.ts';
import { FIELD_TYPES, type FieldDef, type FieldType } from './types.ts';

/** Types Airtable will not create through the API: their values are computed. */
const NOT_CREATABLE = new Set<FieldType>(['formula', 'autoNumber', 'createdTime', 'lastModifiedTime']);

/** Options each creatable type must carry, as the field model documents. */
const REQUIRED_OPTIONS: Partial<Record<FieldType, string[]>> = {
  number: ['precision'],
  percent: ['precision'],
  currency: ['precision', 'symbol'],
  singleSelect: ['choices'],
  multipleSelects: ['choices'],
  date: ['dateFormat'],
  dateTime: ['dateFormat', 'timeFormat', 'timeZone'],
  multipleRecordLinks: ['linkedTableId'],
};

/** Types that may be a table's primary field. */
export const PRIMARY_TYPES = new Set<FieldType>([
  'singleLineText',
  'multilineText',
  'email',
  'url',
  'phoneNumber',
  'number',
  'percent',
  'currency',
  'duration',
  'date',
  'dateTime',
  'formula',
  'autoNumber',
]);

export const MAX_DESCRIPTION = 20_000;

export function checkDescription(description: unknown): string | undefined {
  if (description === undefined || description === null) return undefined;
  if (typeof description !== 'string') throw errors.invalidRequest('description must be a string');
  if (description.length > MAX_DESCRIPTION) {
    throw errors.invalidRequest(`description must be at most ${MAX_DESCRIPTION} characters`);
  }
  return description;
}

export function checkName(kind: string, name: unknown, taken: string[]): string {
  if (typeof name !== 'string' || name.trim() === '') throw errors.duplicateName(kind, String(name ?? ''));
  const trimmed = name.trim();
  if (taken.some((t) => t.toLowerCase() === trimmed.toLowerCase())) throw errors.duplicateName(kind, trimmed);
  return trimmed;
}

/**
 * Validates a field definition from a create-table or create-field request and returns
 * the stored field. `base` is needed for link targets.
 */
export function newFieldFromInput(
  input: unknown,
  taken: string[],
  base: BaseData,
  ids: IdGenerator,
): FieldDef {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw errors.invalidRequest('Each field must be an object with "name" and "type"');
  }
  const { name, type, description, options, ...rest } = input as Record<string, unknown>;
  if (Object.keys(rest).length > 0)
    throw errors.invalidRequest(`Unknown field property "${Object.keys(rest)[0]}"`);
  if (typeof type !== 'string' || !(FIELD_TYPES as readonly string[]).includes(type)) {
    throw errors.invalidFieldType(`Unsupported field type ${JSON.stringify(type)}`);
  }
  const fieldType = type as FieldType;
  if (NOT_CREATABLE.has(fieldType)) throw errors.unsupportedFieldTypeForCreate(fieldType);
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw errors.invalidFieldOptions('options must be an object');
  }
  const opts = { ...((options as Record<string, unknown> | undefined) ?? {}) };
  for (const key of REQUIRED_OPTIONS[fieldType] ?? []) {
    if (opts[key] === undefined)
      throw errors.invalidFieldOptions(`Field type ${fieldType} requires options.${key}`);
  }
  if (
    'precision' in opts &&
    !(Number.isInteger(opts.precision) && (opts.precision as number) >= 0 && (opts.precision as number) <= 8)
  ) {
    throw errors.invalidFieldOptions('options.precision must be an integer from 0 to 8');
  }
  if (fieldType === 'singleSelect' || fieldType === 'multipleSelects')
    opts.choices = choicesFrom(opts.choices, ids);
  if (fieldType === 'multipleRecordLinks') {
    const target = base.tables.find((t) => t.id === opts.linkedTableId);
    if (!target)
      throw errors.invalidFieldOptions(
        `options.linkedTableId ${JSON.stringify(opts.linkedTableId)} is not a table of this base`,
      );
    opts.isReversed = false;
    opts.prefersSingleRecordLink = opts.prefersSingleRecordLink === true;
  }
  if (fieldType === 'rating') {
    opts.max ??= 5;
    opts.icon ??= 'star';
    opts.color ??= 'yellowBright';
  }
  if (fieldType === 'checkbox') {
    opts.icon ??= 'check';
    opts.color ??= 'greenBright';
  }
  const field: FieldDef = { id: ids('fld'), name: checkName('Field', name, taken), type: fieldType };
  const checkedDescription = checkDescription(description);
  if (checkedDescription !== undefined) field.description = checkedDescription;
  if (Object.keys(opts).length > 0) field.options = opts;
  return field;
}

function choicesFrom(raw: unknown, ids: IdGenerator) {
  if (!Array.isArray(raw)) throw errors.invalidFieldOptions('options.choices must be an array');
  const names: string[] = [];
  return raw.map((choice) => {
    const { name, color } = (choice ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || name === '' || names.includes(name)) {
      throw errors.invalidFieldOptions('Each choice needs a unique, non-empty "name"');
    }
    names.push(name);
    return color === undefined ? { id: ids('sel'), name } : { id: ids('sel'), name, color: String(color) };
  });
}
