import { type DateUnit, FIXED_UNIT_MS } from './units.ts';

/**
 * Calendar arithmetic on UTC instants (ms since the epoch), with moment.js's rules, which
 * Airtable's date functions follow: months clamp to the month's last day, and month-based
 * differences count whole months from the same day of the month.
 */

export function daysInMonth(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}

/** Adds whole months; Jan 31 + 1 month is the last day of February. */
export function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const target = new Date(ms);
  target.setUTCDate(1);
  target.setUTCMonth(d.getUTCMonth() + months);
  target.setUTCDate(Math.min(d.getUTCDate(), daysInMonth(target.getUTCFullYear(), target.getUTCMonth())));
  return target.getTime();
}

/**
 * Adds `amount` units. Days, weeks, months, quarters and years round to whole days or months
 * (moment.js does the same); the units of fixed length take fractions.
 */
export function addUnits(ms: number, amount: number, unit: DateUnit): number {
  switch (unit) {
    case 'days':
      return ms + Math.round(amount) * 86_400_000;
    case 'weeks':
      return ms + Math.round(amount * 7) * 86_400_000;
    case 'months':
      return addMonths(ms, Math.round(amount));
    case 'quarters':
      return addMonths(ms, Math.round(amount * 3));
    case 'years':
      return addMonths(ms, Math.round(amount * 12));
    default:
      return ms + amount * (FIXED_UNIT_MS[unit] ?? 1);
  }
}

/** `a - b` in `unit`, truncated toward zero. */
export function diffUnits(a: number, b: number, unit: DateUnit): number {
  let exact: number;
  switch (unit) {
    case 'months':
      exact = monthsBetween(a, b);
      break;
    case 'quarters':
      exact = monthsBetween(a, b) / 3;
      break;
    case 'years':
      exact = monthsBetween(a, b) / 12;
      break;
    default:
      exact = (a - b) / (FIXED_UNIT_MS[unit] ?? 1);
  }
  // `+ 0` turns -0 into 0.
  return Math.trunc(exact) + 0;
}

/**
 * `a - b` in fractional months: whole months from `a` back to `b` (keeping the day of the
 * month, clamped), plus the leftover as a fraction of the neighbouring month's length.
 */
function monthsBetween(a: number, b: number): number {
  const from = new Date(a);
  const to = new Date(b);
  // Anchoring on the earlier day of the month keeps month-end clamping symmetric.
  if (from.getUTCDate() < to.getUTCDate()) return -monthsBetween(b, a);
  const whole = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth());
  const anchor = addMonths(a, whole);
  const rest = b - anchor;
  const fraction =
    rest < 0 ? rest / (anchor - addMonths(a, whole - 1)) : rest / (addMonths(a, whole + 1) - anchor);
  return -(whole + fraction);
}

/** The first instant of the unit containing `ms` (weeks start on Sunday). */
export function startOfUnit(ms: number, unit: DateUnit): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  switch (unit) {
    case 'years':
      return Date.UTC(y, 0, 1);
    case 'quarters':
      return Date.UTC(y, m - (m % 3), 1);
    case 'months':
      return Date.UTC(y, m, 1);
    case 'weeks':
      return Date.UTC(y, m, day - d.getUTCDay());
    case 'days':
      return Date.UTC(y, m, day);
    default: {
      const size = FIXED_UNIT_MS[unit] ?? 1;
      return Math.floor(ms / size) * size;
    }
  }
}

/** 1-based day of the year. */
export function dayOfYear(ms: number): number {
  const d = new Date(ms);
  return (
    Math.round(
      (Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) /
        86_400_000,
    ) + 1
  );
}

/** The ISO-8601 week number (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeek(ms: number): number {
  const d = new Date(ms);
  const thursday = Date.UTC(
    d.getUTCFullYear(),
    d.getUTCMonth(),
    d.getUTCDate() + 3 - ((d.getUTCDay() + 6) % 7),
  );
  const yearStart = Date.UTC(new Date(thursday).getUTCFullYear(), 0, 1);
  return Math.floor((thursday - yearStart) / 604_800_000) + 1;
}

/**
 * The week of the year counting the week that holds January 1 as week 1, with weeks starting
 * on `weekStart` (0 = Sunday). This is WEEKNUM()'s (and Excel's) numbering.
 */
export function weekOfYear(ms: number, weekStart: number): number {
  const d = new Date(ms);
  const jan1Day = new Date(Date.UTC(d.getUTCFullYear(), 0, 1)).getUTCDay();
  const lead = (jan1Day - weekStart + 7) % 7;
  return Math.floor((dayOfYear(ms) - 1 + lead) / 7) + 1;
}
