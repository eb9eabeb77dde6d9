import type { Attachment } from '../../model/types.ts';
import { COMPANIES, COMPANY_NOTES } from './company-list.ts';
import { randomInstant } from './dates.ts';
import type { IdScope } from './id-scope.ts';
import { createRng, type Rng } from './prng.ts';
import { type SampleRow, slugify } from './rows.ts';

export interface CompanyRow extends SampleRow {
  name: string;
  domain: string;
}

/** Companies are created early enough that their contacts and deals fit in the sample window. */
const LAST_COMPANY_CREATED = '2026-06-30T23:59:59.000Z';

const HEADCOUNT_BANDS: readonly [number, number][] = [
  [4, 50],
  [50, 250],
  [250, 1000],
  [1000, 10_000],
  [10_000, 80_000],
];

function logos(ids: IdScope, rng: Rng, index: number, name: string): Attachment[] {
  if (!rng.chance(0.7)) return [];
  const slug = slugify(name);
  const files: Attachment[] = [
    {
      id: ids.attachment('Companies', index, 0),
      url: `https://example.com/logos/${slug}.png`,
      filename: `${slug}.png`,
      size: rng.int(4_000, 90_000),
      type: 'image/png',
    },
  ];
  if (rng.chance(0.2)) {
    files.push({
      id: ids.attachment('Companies', index, 1),
      url: `https://example.com/brand/${slug}-brand-guide.pdf`,
      filename: `${slug} brand guide.pdf`,
      size: rng.int(200_000, 4_000_000),
      type: 'application/pdf',
    });
  }
  return files;
}

/** The Companies rows, without their link cells (Contacts, Deals). */
export function generateCompanies(ids: IdScope): CompanyRow[] {
  const rng = createRng('sales-crm/Companies');
  return COMPANIES.map((spec, index) => {
    const employees = rng.chance(0.9) ? rng.int(...rng.pick(HEADCOUNT_BANDS)) : undefined;
    const revenue =
      employees !== undefined && rng.chance(0.85)
        ? Math.round((employees * rng.int(60, 400) * 1000) / 10_000) * 10_000
        : undefined;
    return {
      index,
      id: ids.record('Companies', index),
      createdTime: randomInstant(rng, '2025-01-01T00:00:00.000Z', LAST_COMPANY_CREATED),
      name: spec.name,
      domain: spec.domain,
      cells: {
        Name: spec.name,
        Industry: spec.industry,
        Website: rng.chance(0.9) ? `https://www.${spec.domain}` : undefined,
        Employees: employees,
        'Annual Revenue': revenue,
        'HQ Country': spec.country,
        Notes: rng.chance(0.45) ? rng.pick(COMPANY_NOTES) : undefined,
        Logo: logos(ids, rng, index, spec.name),
      },
    };
  });
}
