import type { CompanyRow } from './crm-companies.ts';
import type { ContactRow } from './crm-contacts.ts';
import {
  addDays,
  isBefore,
  later,
  randomInstant,
  SAMPLE_END,
  SAMPLE_START,
  SAMPLE_TODAY,
  toDateOnly,
  workingHoursOn,
} from './dates.ts';
import { DEAL_PRODUCTS } from './deal-words.ts';
import type { IdScope } from './id-scope.ts';
import { SALES_REPS } from './people-words.ts';
import { createRng, type Rng } from './prng.ts';
import type { SampleRow } from './rows.ts';
import { DEAL_STAGES, type DealStage } from './sales-crm-schema.ts';

export const DEAL_COUNT = 120;
/** The last few deals have no company (inbound leads not yet matched to an account). */
const DEALS_WITHOUT_COMPANY = 3;
/** Deals only go to companies before this position, so the last ones have none. */
const COMPANIES_WITH_DEALS = 38;
const DAY_MS = 86_400_000;

export interface DealRow extends SampleRow {
  companyIndex: number | undefined;
  contactIndex: number | undefined;
  stage: DealStage;
}

const OPEN_STAGES: readonly DealStage[] = [
  'Lead',
  'Lead',
  'Qualified',
  'Qualified',
  'Proposal',
  'Negotiation',
];

function stageFor(rng: Rng, createdTime: string): DealStage {
  const ageDays = (Date.parse(SAMPLE_TODAY) - Date.parse(createdTime)) / DAY_MS;
  const closedChance = ageDays > 150 ? 0.85 : ageDays > 60 ? 0.45 : 0.1;
  if (rng.chance(closedChance)) return rng.chance(0.55) ? 'Closed Won' : 'Closed Lost';
  return rng.pick(OPEN_STAGES);
}

function closeDate(rng: Rng, stage: DealStage, createdTime: string): string | undefined {
  if (stage === 'Closed Won' || stage === 'Closed Lost') {
    const ageDays = Math.floor((Date.parse(SAMPLE_TODAY) - Date.parse(createdTime)) / DAY_MS);
    return toDateOnly(addDays(createdTime, rng.int(0, Math.max(0, Math.min(180, ageDays - 1)))));
  }
  if (stage === 'Lead' && rng.chance(0.3)) return undefined;
  return toDateOnly(later(createdTime, addDays(SAMPLE_TODAY, rng.int(-20, 150))));
}

function amount(rng: Rng, stage: DealStage): number | undefined {
  if (stage === 'Lead' && rng.chance(0.4)) return undefined;
  return rng.chance(0.25) ? rng.int(51, 250) * 1000 : rng.int(8, 100) * 500;
}

/** The Deals rows, with Company and Primary Contact (this side of both links) as indexes. */
export function generateDeals(
  ids: IdScope,
  companies: readonly CompanyRow[],
  contacts: readonly ContactRow[],
): DealRow[] {
  const rng = createRng('sales-crm/Deals');
  const rows: DealRow[] = [];
  for (let index = 0; index < DEAL_COUNT; index++) {
    const companyIndex =
      index < DEAL_COUNT - DEALS_WITHOUT_COMPANY
        ? rng.int(0, Math.min(COMPANIES_WITH_DEALS, companies.length) - 1)
        : undefined;
    const company = companyIndex === undefined ? undefined : companies[companyIndex];
    const candidates = contacts.filter((c) => companyIndex !== undefined && c.companyIndex === companyIndex);
    const contact = candidates.length > 0 && rng.chance(0.9) ? rng.pick(candidates) : undefined;
    const earliest = later(company?.createdTime ?? SAMPLE_START, contact?.createdTime ?? SAMPLE_START);
    const createdTime = randomInstant(rng, earliest, SAMPLE_END);
    const stage = stageFor(rng, createdTime);
    const open = stage !== 'Closed Won' && stage !== 'Closed Lost';
    const product = rng.pick(DEAL_PRODUCTS);
    const meeting =
      open && rng.chance(0.6) ? workingHoursOn(rng, addDays(SAMPLE_TODAY, rng.int(1, 30))) : undefined;
    rows.push({
      index,
      id: ids.record('Deals', index),
      createdTime,
      companyIndex,
      contactIndex: contact?.index,
      stage,
      cells: {
        'Deal Name': company ? `${company.name} - ${product}` : `${product} (inbound)`,
        Stage: stage,
        Amount: amount(rng, stage),
        Probability: DEAL_STAGES.find((s) => s.name === stage)?.probability,
        'Close Date': closeDate(rng, stage, createdTime),
        'Next Meeting': meeting !== undefined && isBefore(createdTime, meeting) ? meeting : undefined,
        Owner: rng.chance(0.95) ? rng.pick(SALES_REPS).name : undefined,
        'Call Duration': rng.chance(0.6) ? rng.int(1, 24) * 5 * 60 : undefined,
      },
    });
  }
  return rows;
}
