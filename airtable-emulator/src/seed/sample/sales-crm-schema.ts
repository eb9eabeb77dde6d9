import type { FixtureTable } from '../fixture-schema.ts';
import { INDUSTRIES } from './company-list.ts';
import { CHECKBOX_OPTIONS, DATE_OPTIONS, DATE_TIME_OPTIONS, fieldBuilder } from './field-builders.ts';
import type { IdScope } from './id-scope.ts';
import { CONTACT_TAGS, SALES_REPS } from './people-words.ts';

/** Deal stages in pipeline order, with their colors and the win probability each implies. */
export const DEAL_STAGES = [
  { name: 'Lead', color: 'grayLight2', probability: 0.1 },
  { name: 'Qualified', color: 'blueLight2', probability: 0.25 },
  { name: 'Proposal', color: 'cyanLight1', probability: 0.5 },
  { name: 'Negotiation', color: 'yellowBright', probability: 0.75 },
  { name: 'Closed Won', color: 'greenBright', probability: 1 },
  { name: 'Closed Lost', color: 'redDark1', probability: 0 },
] as const;

export type DealStage = (typeof DEAL_STAGES)[number]['name'];

const USD = { precision: 0, symbol: '$' } as const;

/** The three CRM tables without records: fields (with link pairs) and views. */
export function salesCrmTables(ids: IdScope): Record<'companies' | 'contacts' | 'deals', FixtureTable> {
  const co = fieldBuilder(ids, 'Companies');
  const ct = fieldBuilder(ids, 'Contacts');
  const de = fieldBuilder(ids, 'Deals');
  const view = (table: string, name: string) => ({ id: ids.view(table, name), name });

  const companies: FixtureTable = {
    id: ids.table('Companies'),
    name: 'Companies',
    description: 'Accounts we sell to.',
    primaryField: 'Name',
    fields: [
      co.plain('Name', 'singleLineText'),
      co.select('Industry', 'singleSelect', INDUSTRIES),
      co.plain('Website', 'url'),
      co.plain('Employees', 'number', { precision: 0 }),
      co.plain('Annual Revenue', 'currency', USD),
      co.plain('HQ Country', 'singleLineText'),
      co.plain('Notes', 'multilineText'),
      co.plain('Logo', 'multipleAttachments', { isReversed: false }),
      co.link('Contacts', 'Contacts', 'Company', false),
      co.link('Deals', 'Deals', 'Company', false),
      co.plain('Created', 'createdTime', {}),
      co.plain('Last Modified', 'lastModifiedTime', {}),
      co.plain('Company Number', 'autoNumber', {}),
    ],
    views: [
      { ...view('Companies', 'Grid view'), type: 'grid' },
      {
        ...view('Companies', 'Enterprise accounts'),
        type: 'grid',
        filterByFormula: '{Employees} >= 1000',
        sort: [{ field: 'Annual Revenue', direction: 'desc' }],
      },
      {
        ...view('Companies', 'By industry'),
        type: 'grid',
        sort: [
          { field: 'Industry', direction: 'asc' },
          { field: 'Name', direction: 'asc' },
        ],
        visibleFields: ['Name', 'Industry', 'HQ Country', 'Employees', 'Website'],
      },
      { ...view('Companies', 'Logo gallery'), type: 'gallery' },
    ],
  };

  const contacts: FixtureTable = {
    id: ids.table('Contacts'),
    name: 'Contacts',
    description: 'People at our accounts.',
    primaryField: 'Full Name',
    fields: [
      ct.plain('Full Name', 'singleLineText'),
      ct.plain('Email', 'email'),
      ct.plain('Phone', 'phoneNumber'),
      ct.plain('Title', 'singleLineText'),
      ct.link('Company', 'Companies', 'Contacts', true),
      ct.select('Tags', 'multipleSelects', CONTACT_TAGS),
      ct.plain('Is Decision Maker', 'checkbox', CHECKBOX_OPTIONS),
      ct.plain('Last Contacted', 'date', DATE_OPTIONS),
      ct.plain('Rating', 'rating', { max: 5, icon: 'star', color: 'yellowBright' }),
      ct.link('Deals', 'Deals', 'Primary Contact', false),
    ],
    views: [
      { ...view('Contacts', 'Grid view'), type: 'grid' },
      {
        ...view('Contacts', 'Decision makers'),
        type: 'grid',
        filterByFormula: '{Is Decision Maker}',
        sort: [{ field: 'Full Name', direction: 'asc' }],
        visibleFields: ['Full Name', 'Title', 'Company', 'Email', 'Phone'],
      },
      {
        ...view('Contacts', 'Needs follow-up'),
        type: 'grid',
        filterByFormula: "OR({Last Contacted} = BLANK(), IS_BEFORE({Last Contacted}, '2026-09-01'))",
        sort: [{ field: 'Last Contacted', direction: 'asc' }],
      },
      {
        ...view('Contacts', 'VIPs'),
        type: 'grid',
        filterByFormula: "FIND('VIP', ARRAYJOIN({Tags}, ','))",
        sort: [{ field: 'Rating', direction: 'desc' }],
      },
    ],
  };

  const deals: FixtureTable = {
    id: ids.table('Deals'),
    name: 'Deals',
    description: 'Sales opportunities, one per potential contract.',
    primaryField: 'Deal Name',
    fields: [
      de.plain('Deal Name', 'singleLineText'),
      de.link('Company', 'Companies', 'Deals', true),
      de.link('Primary Contact', 'Contacts', 'Deals', true),
      de.select('Stage', 'singleSelect', DEAL_STAGES),
      de.plain('Amount', 'currency', USD),
      de.plain('Probability', 'percent', { precision: 0 }),
      de.plain('Close Date', 'date', DATE_OPTIONS),
      de.plain('Next Meeting', 'dateTime', DATE_TIME_OPTIONS),
      de.select('Owner', 'singleSelect', SALES_REPS),
      de.formula('Weighted Amount', '{Amount} * {Probability}'),
      de.formula('Is Big', "IF({Amount} > 50000, 'Big', 'Small')"),
      de.formula(
        'Days Open',
        "IF(OR({Stage} = 'Closed Won', {Stage} = 'Closed Lost'), " +
          "DATETIME_DIFF({Close Date}, CREATED_TIME(), 'days'), DATETIME_DIFF(TODAY(), CREATED_TIME(), 'days'))",
      ),
      de.plain('Call Duration', 'duration', { durationFormat: 'h:mm' }),
    ],
    views: [
      { ...view('Deals', 'Grid view'), type: 'grid' },
      {
        ...view('Deals', 'Open deals'),
        type: 'grid',
        filterByFormula: "AND({Stage} != 'Closed Won', {Stage} != 'Closed Lost')",
        sort: [{ field: 'Close Date', direction: 'asc' }],
      },
      {
        ...view('Deals', 'Big deals'),
        type: 'grid',
        filterByFormula: '{Amount} > 50000',
        sort: [{ field: 'Amount', direction: 'desc' }],
        visibleFields: ['Deal Name', 'Company', 'Stage', 'Amount', 'Probability', 'Owner'],
      },
      { ...view('Deals', 'Pipeline'), type: 'kanban' },
      {
        ...view('Deals', "Ada's deals"),
        type: 'grid',
        filterByFormula: "{Owner} = 'Ada Lovelace'",
        sort: [
          { field: 'Stage', direction: 'asc' },
          { field: 'Amount', direction: 'desc' },
        ],
      },
      { ...view('Deals', 'Close calendar'), type: 'calendar' },
    ],
  };

  return { companies, contacts, deals };
}
