import type { FixtureBase, FixtureRecord } from '../fixture-schema.ts';
import { commentThread, earlyRows } from './comments.ts';
import { generateCompanies } from './crm-companies.ts';
import { generateContacts } from './crm-contacts.ts';
import { generateDeals } from './crm-deals.ts';
import { createIdScope } from './id-scope.ts';
import { idsWhere, type SampleRow, toFixtureRecords } from './rows.ts';
import { salesCrmTables } from './sales-crm-schema.ts';
import { SAMPLE_USERS } from './users.ts';

type FixtureComment = NonNullable<FixtureRecord['comments']>[number];

export const SALES_CRM_BASE_ID = createIdScope('sales-crm').base;

/** Id of the row at `index`, or none: one side of a single-record link. */
function linkTo(rows: readonly SampleRow[], index: number | undefined): string[] {
  const row = index === undefined ? undefined : rows[index];
  return row === undefined ? [] : [row.id];
}

/** The "Sales CRM" base: Companies ⇄ Contacts ⇄ Deals, links filled in on both sides. */
export function salesCrmBase(): FixtureBase {
  const ids = createIdScope('sales-crm');
  const tables = salesCrmTables(ids);
  const companies = generateCompanies(ids);
  const contacts = generateContacts(ids, companies);
  const deals = generateDeals(ids, companies, contacts);

  for (const company of companies) {
    company.cells.Contacts = idsWhere(contacts, (c) => c.companyIndex, company.index);
    company.cells.Deals = idsWhere(deals, (d) => d.companyIndex, company.index);
  }
  for (const contact of contacts) {
    contact.cells.Company = linkTo(companies, contact.companyIndex);
    contact.cells.Deals = idsWhere(deals, (d) => d.contactIndex, contact.index);
  }
  for (const deal of deals) {
    deal.cells.Company = linkTo(companies, deal.companyIndex);
    deal.cells['Primary Contact'] = linkTo(contacts, deal.contactIndex);
  }

  const [ada, grace, conor] = SAMPLE_USERS.map((u) => u.id) as [string, string, string];
  const dealComments = new Map<string, FixtureComment[]>();
  const [d0, d1, d2] = earlyRows(deals, '2026-09-01', 3);
  if (d0) {
    dealComments.set(
      d0.id,
      commentThread(ids, 'Deals', d0, [
        {
          authorId: ada,
          text: 'Spoke with procurement: they\'re waiting on the "final" quote.',
          afterDays: 2,
        },
        { authorId: grace, text: `@[${ada}] I'll send it by Friday.`, afterDays: 3, replyTo: 0 },
      ]),
    );
  }
  if (d1) {
    dealComments.set(
      d1.id,
      commentThread(ids, 'Deals', d1, [
        { authorId: conor, text: 'Good discovery call; following up next week.', afterDays: 5 },
      ]),
    );
  }
  if (d2) {
    dealComments.set(
      d2.id,
      commentThread(ids, 'Deals', d2, [
        { authorId: grace, text: 'Legal asked for a 30-day termination clause.', afterDays: 1 },
        { authorId: ada, text: 'Approved. Please loop in finance.', afterDays: 4, replyTo: 0 },
        { authorId: conor, text: 'Done. Contract sent for signature.', afterDays: 6 },
      ]),
    );
  }
  const companyComments = new Map<string, FixtureComment[]>();
  const [c0] = earlyRows(companies, '2026-06-01', 1);
  if (c0) {
    companyComments.set(
      c0.id,
      commentThread(ids, 'Companies', c0, [
        { authorId: ada, text: "Renewal is due in March; don't discount below 10%.", afterDays: 7 },
      ]),
    );
  }

  return {
    id: ids.base,
    name: 'Sales CRM',
    permissionLevel: 'create',
    tables: [
      { ...tables.companies, records: toFixtureRecords(companies, companyComments) },
      { ...tables.contacts, records: toFixtureRecords(contacts) },
      { ...tables.deals, records: toFixtureRecords(deals, dealComments) },
    ],
  };
}
