/** English calendar names; Airtable's formula functions format in the 'en' locale unless SET_LOCALE says otherwise. */
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

export const WEEKDAY_NAMES = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
] as const;

/** The 0-based month a name or its abbreviation ('Sep', 'sept', 'SEPTEMBER') means, or -1. */
export function monthFromName(text: string): number {
  const lower = text.trim().toLowerCase().replace(/\.$/, '');
  if (lower === 'sept') return 8;
  if (lower.length < 3) return -1;
  return MONTH_NAMES.findIndex((name) => name.toLowerCase().startsWith(lower));
}

/** The 0-based weekday index (0 = Sunday) a day name means ('Monday', 'mon'), or -1. */
export function weekdayFromName(text: string): number {
  const lower = text.trim().toLowerCase();
  if (lower.length < 2) return -1;
  return WEEKDAY_NAMES.findIndex((name) => name.toLowerCase().startsWith(lower));
}

/** 1 → '1st', 12 → '12th', 22 → '22nd'. */
export function ordinal(n: number): string {
  const lastTwo = n % 100;
  if (lastTwo >= 11 && lastTwo <= 13) return `${n}th`;
  const suffix = ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${suffix}`;
}
