import type { CompanyRow } from './crm-companies.ts';
import { randomInstant, SAMPLE_END, SAMPLE_START, toDateOnly } from './dates.ts';
import type { IdScope } from './id-scope.ts';
import {
  CONTACT_TAGS,
  emailLocalPart,
  FIRST_NAMES,
  LAST_NAMES,
  SENIOR_TITLES,
  TITLES,
} from './people-words.ts';
import { createRng, type Rng } from './prng.ts';
import type { SampleRow } from './rows.ts';

export const CONTACT_COUNT = 100;
/** Companies at positions ≥ this have no contacts, to give empty link cells. */
const COMPANIES_WITH_CONTACTS = 36;
/** The last few contacts belong to no company. */
const CONTACTS_WITHOUT_COMPANY = 6;
/** Personal addresses for contacts without a company. */
const PERSONAL_DOMAIN = 'mail.example.org';

export interface ContactRow extends SampleRow {
  fullName: string;
  companyIndex: number | undefined;
}

function uniqueNames(rng: Rng, count: number): [string, string][] {
  const seen = new Set<string>();
  const names: [string, string][] = [];
  while (names.length < count) {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    if (seen.has(`${first} ${last}`)) continue;
    seen.add(`${first} ${last}`);
    names.push([first, last]);
  }
  return names;
}

function tagCount(rng: Rng): number {
  const roll = rng.next();
  return roll < 0.4 ? 0 : roll < 0.75 ? 1 : roll < 0.95 ? 2 : 3;
}

function companyFor(rng: Rng, index: number): number | undefined {
  if (index < COMPANIES_WITH_CONTACTS) return index; // every such company gets at least one
  if (index >= CONTACT_COUNT - CONTACTS_WITHOUT_COMPANY) return undefined;
  return rng.int(0, COMPANIES_WITH_CONTACTS - 1);
}

/** The Contacts rows, without their link cells (Company, Deals). */
export function generateContacts(ids: IdScope, companies: readonly CompanyRow[]): ContactRow[] {
  const rng = createRng('sales-crm/Contacts');
  const names = uniqueNames(rng, CONTACT_COUNT);
  return names.map(([first, last], index) => {
    const companyIndex = companyFor(rng, index);
    const company = companyIndex === undefined ? undefined : companies[companyIndex];
    const createdTime = randomInstant(rng, company?.createdTime ?? SAMPLE_START, SAMPLE_END);
    const title = rng.chance(0.9) ? rng.pick(TITLES) : undefined;
    const senior = title !== undefined && SENIOR_TITLES.has(title);
    const tags = rng.sample(
      CONTACT_TAGS.map((t) => t.name),
      tagCount(rng),
    );
    return {
      index,
      id: ids.record('Contacts', index),
      createdTime,
      fullName: `${first} ${last}`,
      companyIndex,
      cells: {
        'Full Name': `${first} ${last}`,
        Email: rng.chance(0.93)
          ? `${emailLocalPart(first, last)}@${company?.domain ?? PERSONAL_DOMAIN}`
          : undefined,
        Phone: rng.chance(0.8) ? `+1 ${rng.int(201, 989)}-555-0${rng.int(100, 199)}` : undefined,
        Title: title,
        Tags: CONTACT_TAGS.map((t) => t.name).filter((name) => tags.includes(name)),
        'Is Decision Maker': rng.chance(senior ? 0.7 : 0.1),
        'Last Contacted': rng.chance(0.75)
          ? toDateOnly(randomInstant(rng, createdTime, SAMPLE_END))
          : undefined,
        Rating: rng.chance(0.6) ? rng.int(1, 5) : undefined,
      },
    };
  });
}
