/** The units DATEADD, DATETIME_DIFF and IS_SAME understand. */
export type DateUnit =
  | 'milliseconds'
  | 'seconds'
  | 'minutes'
  | 'hours'
  | 'days'
  | 'weeks'
  | 'months'
  | 'quarters'
  | 'years';

/** Airtable's abbreviations are case-sensitive ('M' months, 'm' minutes), as in moment.js. */
const ABBREVIATIONS: Readonly<Record<string, DateUnit>> = {
  ms: 'milliseconds',
  s: 'seconds',
  m: 'minutes',
  h: 'hours',
  d: 'days',
  w: 'weeks',
  M: 'months',
  Q: 'quarters',
  y: 'years',
};

const LONG_NAMES: ReadonlySet<string> = new Set<DateUnit>([
  'milliseconds',
  'seconds',
  'minutes',
  'hours',
  'days',
  'weeks',
  'months',
  'quarters',
  'years',
]);

/** The unit a specifier names ('days', 'Day', 'd'), or undefined when it names none. */
export function parseDateUnit(text: string): DateUnit | undefined {
  const trimmed = text.trim();
  const abbreviated = ABBREVIATIONS[trimmed];
  if (abbreviated) return abbreviated;
  // Long names are case-insensitive and may be singular.
  const lower = trimmed.toLowerCase();
  const plural = lower.endsWith('s') ? lower : `${lower}s`;
  return LONG_NAMES.has(plural) ? (plural as DateUnit) : undefined;
}

/** Milliseconds per unit for the units of fixed length. */
export const FIXED_UNIT_MS: Readonly<Partial<Record<DateUnit, number>>> = {
  milliseconds: 1,
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
  weeks: 604_800_000,
};
