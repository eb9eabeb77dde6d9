import { describe, expect, it } from 'vitest';
import type { AirtableApiError } from '../http/airtable-error.ts';
import { createIdGenerator } from '../model/ids.ts';
import { EmulatorStore } from '../model/store.ts';
import type { FieldDef, FieldType } from '../model/types.ts';
import { createWriteContext } from './write-context.ts';
import { normalizeWrite } from './write-value.ts';

const ids = createIdGenerator();
const store = new EmulatorStore({ ids, now: () => new Date('2026-01-01T00:00:00Z') });
const fields: FieldDef[] = [
  { id: 'fldName0000000000', name: 'Name', type: 'singleLineText' },
  {
    id: 'fldStage000000000',
    name: 'Stage',
    type: 'singleSelect',
    options: { choices: [{ id: 'selA', name: 'Lead' }] },
  },
  {
    id: 'fldTags0000000000',
    name: 'Tags',
    type: 'multipleSelects',
    options: { choices: [{ id: 'selB', name: 'vip' }] },
  },
  { id: 'fldRating00000000', name: 'Rating', type: 'rating', options: { max: 5 } },
  { id: 'fldAmount00000000', name: 'Amount', type: 'currency', options: { precision: 2, symbol: '$' } },
  { id: 'fldDone0000000000', name: 'Done', type: 'checkbox' },
  { id: 'fldDay00000000000', name: 'Day', type: 'date' },
  { id: 'fldAt000000000000', name: 'At', type: 'dateTime' },
  { id: 'fldFiles000000000', name: 'Files', type: 'multipleAttachments' },
  { id: 'fldCreated0000000', name: 'Created', type: 'createdTime' },
];
const base = store.addBase({
  id: 'appTest0000000000',
  name: 'Test',
  permissionLevel: 'create',
  tables: [{ id: 'tblTest0000000000', name: 'T', primaryFieldId: 'fldName0000000000', fields, views: [] }],
});

function field(type: FieldType): FieldDef {
  return fields.find((f) => f.type === type) as FieldDef;
}

function write(type: FieldType, value: unknown, typecast = false) {
  return normalizeWrite(field(type), value, createWriteContext(base, typecast, ids));
}

function errorType(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as AirtableApiError).type;
  }
  return undefined;
}

describe('cell validation', () => {
  it.each<[FieldType, unknown, unknown]>([
    ['singleLineText', 'Acme', 'Acme'],
    ['singleLineText', 'two\nlines', 'two lines'],
    ['singleLineText', '', undefined],
    ['singleSelect', 'Lead', 'Lead'],
    ['multipleSelects', ['vip', 'vip'], ['vip']],
    ['rating', 3, 3],
    ['rating', 0, undefined],
    ['currency', 10.567, 10.57],
    ['checkbox', true, true],
    ['checkbox', false, undefined],
    ['date', '2026-02-28', '2026-02-28'],
    ['date', '2026-02-28T23:00:00.000Z', '2026-02-28'],
    ['dateTime', '2026-02-28T10:00:00Z', '2026-02-28T10:00:00.000Z'],
    ['dateTime', '2026-02-28T10:00:00+02:00', '2026-02-28T08:00:00.000Z'],
    ['singleLineText', null, undefined],
  ])('%s accepts %j as %j', (type, input, stored) => {
    expect(write(type, input)).toEqual(stored);
  });

  it.each<[FieldType, unknown, string]>([
    ['singleLineText', 42, 'INVALID_VALUE_FOR_COLUMN'],
    ['singleSelect', 'Closed', 'INVALID_MULTIPLE_CHOICE_OPTIONS'],
    ['singleSelect', ['Lead'], 'INVALID_VALUE_FOR_COLUMN'],
    ['multipleSelects', 'vip', 'INVALID_VALUE_FOR_COLUMN'],
    ['rating', 6, 'INVALID_VALUE_FOR_COLUMN'],
    ['rating', 2.5, 'INVALID_VALUE_FOR_COLUMN'],
    ['currency', '12', 'INVALID_VALUE_FOR_COLUMN'],
    ['checkbox', 'yes', 'INVALID_VALUE_FOR_COLUMN'],
    ['date', '2026-02-30', 'INVALID_VALUE_FOR_COLUMN'],
    ['date', 'next tuesday', 'INVALID_VALUE_FOR_COLUMN'],
    ['dateTime', 'Feb 3 2026', 'INVALID_VALUE_FOR_COLUMN'],
    ['multipleAttachments', [{ url: 'not a url' }], 'INVALID_VALUE_FOR_COLUMN'],
    ['multipleAttachments', [{ id: 'attMissing0000000' }], 'INVALID_VALUE_FOR_COLUMN'],
    ['createdTime', '2026-01-01', 'INVALID_VALUE_FOR_COLUMN'],
  ])('%s refuses %j with %s', (type, input, code) => {
    expect(errorType(() => write(type, input))).toBe(code);
  });

  it('typecast converts strings and collects new select options without touching the schema yet', () => {
    const ctx = createWriteContext(base, true, ids);
    expect(normalizeWrite(field('currency'), '$1,250.50', ctx)).toBe(1250.5);
    expect(normalizeWrite(field('checkbox'), 'yes', ctx)).toBe(true);
    expect(normalizeWrite(field('multipleSelects'), 'vip, new-tag', ctx)).toEqual(['vip', 'new-tag']);
    expect(normalizeWrite(field('singleSelect'), ' lead ', ctx)).toBe('Lead');
    expect(normalizeWrite(field('singleLineText'), 42, ctx)).toBe('42');
    expect(normalizeWrite(field('date'), 'Feb 3 2026 12:00 UTC', ctx)).toBe('2026-02-03');
    expect(ctx.pendingChoices.get('fldTags0000000000')).toEqual(['new-tag']);
    expect(field('multipleSelects').options?.choices).toHaveLength(1);
  });

  it('stores attachments by URL with a generated id and a filename from the URL', () => {
    const stored = write('multipleAttachments', [{ url: 'https://example.com/files/Q3%20report.pdf' }]) as {
      id: string;
      filename: string;
      type: string;
    }[];
    expect(stored[0]).toMatchObject({ filename: 'Q3 report.pdf', type: 'application/pdf' });
    expect(stored[0]?.id).toMatch(/^att[A-Za-z0-9]{14}$/);
  });
});
