import { describe, expect, it } from 'vitest';
import { useSalesCrmClient } from './airtable-client-kit.ts';

// Links stay two-sided whichever side is written, and deletes unlink; empty values are
// omitted from `fields`. Through the official airtable.js client.

const t = useSalesCrmClient();
const contacts = () => t.table('Contacts');
const companies = () => t.table('Companies');

/** A unique name, so records a test creates never collide with the sample or each other. */
let counter = 0;
const unique = (label: string) => `${label} #${++counter}`;

describe('links stay two-sided', () => {
  it('linking a contact to a company lists it on the company; relinking moves it', async () => {
    const [first, second] = await companies().create([
      { fields: { Name: unique('Link co') } },
      { fields: { Name: unique('Link co') } },
    ]);
    const contact = await contacts().create({
      'Full Name': unique('Linked person'),
      Company: [first?.id as string],
    });

    expect((await companies().find(first?.id as string)).get('Contacts')).toEqual([contact.id]);

    await contacts().update(contact.id, { Company: [second?.id as string] });

    expect((await companies().find(first?.id as string)).get('Contacts')).toBeUndefined();
    expect((await companies().find(second?.id as string)).get('Contacts')).toEqual([contact.id]);
  });

  it('writing the company side updates the contact side, and replace unlinks', async () => {
    const company = await companies().create({ Name: unique('Inverse co') });
    const [a, b] = await contacts().create([
      { fields: { 'Full Name': unique('Inverse person') } },
      { fields: { 'Full Name': unique('Inverse person') } },
    ]);
    await companies().update(company.id, { Contacts: [a?.id as string, b?.id as string] });

    expect((await contacts().find(a?.id as string)).get('Company')).toEqual([company.id]);
    expect((await contacts().find(b?.id as string)).get('Company')).toEqual([company.id]);

    await contacts().replace(a?.id as string, { 'Full Name': String(a?.get('Full Name')) });

    expect((await companies().find(company.id)).get('Contacts')).toEqual([b?.id]);
  });

  it('deleting a record removes it from the links that pointed at it', async () => {
    const company = await companies().create({ Name: unique('Unlink co') });
    const [a, b] = await contacts().create([
      { fields: { 'Full Name': unique('Unlink person'), Company: [company.id] } },
      { fields: { 'Full Name': unique('Unlink person'), Company: [company.id] } },
    ]);
    expect((await companies().find(company.id)).get('Contacts')).toEqual([a?.id, b?.id]);

    await contacts().destroy(a?.id as string);
    expect((await companies().find(company.id)).get('Contacts')).toEqual([b?.id]);

    await companies().destroy(company.id);
    expect((await contacts().find(b?.id as string)).get('Company')).toBeUndefined();
  });
});

describe('empty values', () => {
  it('are omitted from fields: false checkbox, empty text, empty links', async () => {
    const name = unique('Empty person');
    const created = await contacts().create({
      'Full Name': name,
      'Is Decision Maker': false,
      Title: '',
      Deals: [],
      Tags: [],
    });

    expect(created.fields).toEqual({ 'Full Name': name });
    expect((await contacts().find(created.id)).fields).toEqual({ 'Full Name': name });
  });

  it('clearing values through update omits them too', async () => {
    const name = unique('Cleared person');
    const created = await contacts().create({ 'Full Name': name, Title: 'CEO', 'Is Decision Maker': true });
    const updated = await contacts().update(created.id, { Title: '', 'Is Decision Maker': false });

    expect(updated.fields).toEqual({ 'Full Name': name });
  });
});
