import { describe, expect, it } from 'vitest';
import { COMPUTED_FIELD_TYPES, FIELD_TYPES, type FieldType } from '../../model/types.ts';
import { type FixtureBase, type FixtureField, type FixtureTable, fixtureSchema } from '../fixture-schema.ts';
import { isAirtableId } from './ids.ts';
import { OWNER_USER, PRODUCT_ROADMAP_BASE_ID, SALES_CRM_BASE_ID, sampleFixture } from './index.ts';

const fixture = sampleFixture();
const allTables = fixture.bases.flatMap((base) => base.tables.map((table) => ({ base, table })));

function fieldsOfType(table: FixtureTable, type: FieldType): FixtureField[] {
  return table.fields.filter((field) => field.type === type);
}

function tableById(base: FixtureBase, id: unknown): FixtureTable {
  const table = base.tables.find((t) => t.id === id);
  if (table === undefined) throw new Error(`no table ${String(id)} in ${base.name}`);
  return table;
}

function fieldById(table: FixtureTable, id: unknown): FixtureField {
  const field = table.fields.find((f) => f.id === id);
  if (field === undefined) throw new Error(`no field ${String(id)} in ${table.name}`);
  return field;
}

function linkIds(value: unknown): string[] {
  if (value === undefined) return [];
  expect(Array.isArray(value)).toBe(true);
  return value as string[];
}

describe('sampleFixture', () => {
  it('parses with the fixture schema', () => {
    const parsed = fixtureSchema.parse(fixture);
    expect(parsed.bases.map((b) => b.name)).toEqual(['Sales CRM', 'Product Roadmap']);
    expect(parsed.bases.map((b) => b.permissionLevel)).toEqual(['create', 'create']);
    expect(parsed.bases.map((b) => b.id)).toEqual([SALES_CRM_BASE_ID, PRODUCT_ROADMAP_BASE_ID]);
  });

  it('is deterministic', () => {
    expect(sampleFixture()).toEqual(fixture);
    expect(JSON.stringify(sampleFixture())).toBe(JSON.stringify(fixture));
  });

  it('returns a fresh object each call', () => {
    const copy = sampleFixture();
    copy.users?.pop();
    copy.bases[0]?.tables[0]?.records?.pop();
    expect(sampleFixture()).toEqual(fixture);
  });

  it('gives every object a unique, well-formed id', () => {
    const seen = new Set<string>();
    const check = (id: unknown, prefix: Parameters<typeof isAirtableId>[1]): void => {
      expect(isAirtableId(id, prefix), `${String(id)} should be a ${prefix} id`).toBe(true);
      expect(seen.has(id as string), `${String(id)} is duplicated`).toBe(false);
      seen.add(id as string);
    };
    for (const user of fixture.users ?? []) check(user.id, 'usr');
    for (const base of fixture.bases) {
      check(base.id, 'app');
      for (const table of base.tables) {
        check(table.id, 'tbl');
        for (const field of table.fields) {
          check(field.id, 'fld');
          const choices = (field.options?.choices ?? []) as { id: string }[];
          for (const choice of choices) check(choice.id, 'sel');
        }
        for (const view of table.views ?? []) check(view.id, 'viw');
        for (const record of table.records ?? []) {
          check(record.id, 'rec');
          for (const comment of record.comments ?? []) check(comment.id, 'com');
          for (const field of fieldsOfType(table, 'multipleAttachments')) {
            for (const file of (record.fields[field.name] ?? []) as { id: string }[]) check(file.id, 'att');
          }
        }
      }
    }
    expect(seen.size).toBeGreaterThan(400);
  });

  it('uses every field type', () => {
    const used = new Set(allTables.flatMap(({ table }) => table.fields.map((f) => f.type)));
    for (const type of FIELD_TYPES) expect(used.has(type), type).toBe(true);
  });

  it('has a few hundred records, in the documented counts', () => {
    const counts = Object.fromEntries(allTables.map(({ table }) => [table.name, table.records?.length ?? 0]));
    expect(counts).toEqual({ Companies: 40, Contacts: 100, Deals: 120, Features: 60, Releases: 10 });
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(200);
    expect(total).toBeLessThan(1000);
  });

  it('keys cells by existing field names and never stores computed or empty values', () => {
    for (const { table } of allTables) {
      const byName = new Map(table.fields.map((f) => [f.name, f]));
      expect(byName.has(table.primaryField ?? '')).toBe(true);
      for (const record of table.records ?? []) {
        for (const [name, value] of Object.entries(record.fields)) {
          const field = byName.get(name);
          expect(field, `${table.name}.${name}`).toBeDefined();
          expect(COMPUTED_FIELD_TYPES.has(field!.type), `${table.name}.${name} is computed`).toBe(false);
          expect([undefined, null, '', false]).not.toContain(value);
          if (Array.isArray(value)) expect(value.length).toBeGreaterThan(0);
        }
      }
    }
  });

  it('has links that agree in both directions', () => {
    let linkFields = 0;
    for (const { base, table } of allTables) {
      for (const field of fieldsOfType(table, 'multipleRecordLinks')) {
        linkFields++;
        const options = field.options ?? {};
        expect(options.isReversed).toBe(false);
        expect(typeof options.prefersSingleRecordLink).toBe('boolean');
        const other = tableById(base, options.linkedTableId);
        const inverse = fieldById(other, options.inverseLinkFieldId);
        expect(inverse.type).toBe('multipleRecordLinks');
        expect(inverse.options?.linkedTableId).toBe(table.id);
        expect(inverse.options?.inverseLinkFieldId).toBe(field.id);

        const otherRecords = new Map((other.records ?? []).map((r) => [r.id, r]));
        for (const record of table.records ?? []) {
          const targets = linkIds(record.fields[field.name]);
          expect(new Set(targets).size).toBe(targets.length);
          if (options.prefersSingleRecordLink === true) expect(targets.length).toBeLessThanOrEqual(1);
          for (const target of targets) {
            const linked = otherRecords.get(target);
            expect(linked, `${table.name}.${field.name} → ${target}`).toBeDefined();
            expect(linkIds(linked?.fields[inverse.name])).toContain(record.id);
          }
        }
      }
    }
    expect(linkFields).toBe(8);
  });

  it('has some empty link cells', () => {
    for (const { table } of allTables) {
      for (const field of fieldsOfType(table, 'multipleRecordLinks')) {
        const empty = (table.records ?? []).filter((r) => r.fields[field.name] === undefined);
        expect(empty.length, `${table.name}.${field.name}`).toBeGreaterThan(0);
      }
    }
  });

  it('only uses choices a select field declares', () => {
    for (const { table } of allTables) {
      for (const field of table.fields.filter(
        (f) => f.type === 'singleSelect' || f.type === 'multipleSelects',
      )) {
        const choices = (field.options?.choices ?? []) as { name: string; color: string }[];
        expect(choices.length).toBeGreaterThan(1);
        for (const choice of choices) expect(choice.color).toMatch(/^[a-z]+(Light[12]|Bright|Dark1)$/);
        const names = new Set(choices.map((c) => c.name));
        expect(names.size).toBe(choices.length);
        for (const record of table.records ?? []) {
          const value = record.fields[field.name];
          if (value === undefined) continue;
          const values = field.type === 'singleSelect' ? [value] : (value as unknown[]);
          if (field.type === 'singleSelect') expect(typeof value).toBe('string');
          for (const v of values)
            expect(names.has(v as string), `${table.name}.${field.name}: ${String(v)}`).toBe(true);
        }
      }
    }
  });

  it('writes cells in Airtable JSON formats', () => {
    for (const { table } of allTables) {
      for (const record of table.records ?? []) {
        expect(record.createdTime! >= '2025-01-01T00:00:00.000Z').toBe(true);
        expect(record.createdTime! <= '2026-10-31T23:59:59.999Z').toBe(true);
        for (const field of table.fields) {
          const value = record.fields[field.name];
          if (value === undefined) continue;
          if (field.type === 'checkbox') expect(value).toBe(true);
          if (field.type === 'date') expect(value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          if (field.type === 'dateTime') expect(new Date(value as string).toISOString()).toBe(value);
          if (field.type === 'percent') expect(value as number).toBeLessThanOrEqual(1);
          if (field.type === 'url') expect(value).toMatch(/^https:\/\//);
          if (field.type === 'email') expect(value).toMatch(/^[a-z.]+@[a-z0-9.-]+\.[a-z]+$/);
          if (field.type === 'rating')
            expect(value as number).toBeLessThanOrEqual(field.options?.max as number);
          if (field.type === 'duration') expect(Number.isInteger(value)).toBe(true);
          if (field.type === 'multipleAttachments') {
            for (const file of value as Record<string, unknown>[]) {
              expect(Object.keys(file).sort()).toEqual(['filename', 'id', 'size', 'type', 'url']);
              expect(file.url).toMatch(/^https:\/\/example\.com\//);
            }
          }
        }
      }
    }
  });

  it('keeps e-mail addresses consistent with names and company domains', () => {
    const crm = fixture.bases.find((b) => b.id === SALES_CRM_BASE_ID)!;
    const companies = new Map((crm.tables[0]?.records ?? []).map((r) => [r.id, r]));
    const ascii = (s: string): string =>
      s
        .normalize('NFD')
        .replace(/[^A-Za-z]/g, '')
        .toLowerCase();
    let checkedDomains = 0;
    for (const contact of crm.tables[1]?.records ?? []) {
      const email = contact.fields.Email as string | undefined;
      if (email === undefined) continue;
      const [first = '', ...rest] = (contact.fields['Full Name'] as string).split(' ');
      const [local, domain] = email.split('@');
      expect(local).toBe(`${ascii(first)}.${ascii(rest.join(''))}`);
      const company = companies.get(linkIds(contact.fields.Company)[0] ?? '');
      if (company === undefined) {
        expect(domain).toBe('mail.example.org');
      } else if (company.fields.Website !== undefined) {
        expect(company.fields.Website).toBe(`https://www.${domain}`);
        checkedDomains++;
      }
    }
    expect(checkedDomains).toBeGreaterThan(50);
  });

  it('includes names with quotes and apostrophes', () => {
    const text = JSON.stringify(fixture);
    expect(text).toContain("O'Brien");
    expect(text).toContain('The \\"Best\\" Widget');
  });

  it('has formulas and views that name existing fields', () => {
    for (const { table } of allTables) {
      const names = new Set(table.fields.map((f) => f.name));
      const referenced = (formula: string): string[] =>
        [...formula.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      for (const field of fieldsOfType(table, 'formula')) {
        const formula = field.options?.formula as string;
        expect(referenced(formula).length).toBeGreaterThan(0);
        for (const name of referenced(formula))
          expect(names.has(name), `${field.name}: {${name}}`).toBe(true);
      }
      for (const field of table.fields.filter(
        (f) => COMPUTED_FIELD_TYPES.has(f.type) && f.type !== 'formula',
      )) {
        expect(field.options).toEqual({});
      }
      const views = table.views ?? [];
      expect(views[0]?.name).toBe('Grid view');
      expect(views[0]?.filterByFormula).toBeUndefined();
      expect(views.length).toBeGreaterThanOrEqual(3);
      for (const view of views) {
        for (const name of referenced(view.filterByFormula ?? '')) expect(names.has(name), name).toBe(true);
        for (const sort of view.sort ?? []) expect(names.has(sort.field), sort.field).toBe(true);
        for (const name of view.visibleFields ?? []) expect(names.has(name), name).toBe(true);
      }
    }
  });

  it('has comment threads by known users', () => {
    const users = new Set((fixture.users ?? []).map((u) => u.id));
    expect(users.has(OWNER_USER.id)).toBe(true);
    expect(OWNER_USER.email).toBe('ada@example.com');
    const records = allTables.flatMap(({ table }) => table.records ?? []);
    const comments = records.flatMap((r) => (r.comments ?? []).map((c) => ({ record: r, comment: c })));
    expect(comments.length).toBeGreaterThanOrEqual(5);
    for (const { record, comment } of comments) {
      expect(users.has(comment.authorId ?? '')).toBe(true);
      expect(comment.createdTime! > record.createdTime!).toBe(true);
      if (comment.parentCommentId !== undefined) {
        expect(record.comments?.some((c) => c.id === comment.parentCommentId)).toBe(true);
      }
    }
  });
});
