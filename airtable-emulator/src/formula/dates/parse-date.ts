import { monthFromName } from './names.ts';

/** Date and time fields as read from text; month is 0-based. `offsetMinutes` undefined means UTC. */
export interface DateParts {
  year: number;
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
  millisecond?: number;
  offsetMinutes?: number;
}

const TIME = String.raw`(?:[T\s,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([ap]\.?m\.?)?)?`;
const ZONE = String.raw`\s*(Z|[+-]\d{2}(?::?\d{2})?)?`;

/** 2024-01-15, 2024-01-15T10:30:00.000Z, 2024-01-15 10:30, 2024/1/5 */
const ISO = new RegExp(String.raw`^(\d{4})[-/](\d{1,2})(?:[-/](\d{1,2}))?${TIME}${ZONE}$`, 'i');
/** 1/15/2024, 01/15/24 10:30 pm (Airtable, like moment, reads slashed dates month first) */
const US = new RegExp(String.raw`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})${TIME}${ZONE}$`, 'i');
/** January 15, 2024; Mon, Jan 15 2024 10:30 AM */
const MONTH_FIRST = new RegExp(
  String.raw`^(?:[a-z]+\.?,?\s+)?([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})${TIME}${ZONE}$`,
  'i',
);
/** 15 January 2024 */
const DAY_FIRST = new RegExp(
  String.raw`^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})${TIME}${ZONE}$`,
  'i',
);

/**
 * Reads the date formats people and API clients write without naming a format: ISO 8601 and
 * its space-separated variant, US slashed dates and English month names. Times without an
 * offset are UTC. Returns null when the text is none of these or names an impossible date.
 */
export function parseDateText(text: string): Date | null {
  const trimmed = text.trim();
  let m = ISO.exec(trimmed);
  if (m) return build(Number(m[1]), Number(m[2]) - 1, m[3] === undefined ? 1 : Number(m[3]), m.slice(4));
  m = US.exec(trimmed);
  if (m) return build(twoDigitYear(m[3] as string), Number(m[1]) - 1, Number(m[2]), m.slice(4));
  m = MONTH_FIRST.exec(trimmed);
  if (m) return build(Number(m[3]), monthFromName(m[1] as string), Number(m[2]), m.slice(4));
  m = DAY_FIRST.exec(trimmed);
  if (m) return build(Number(m[3]), monthFromName(m[2] as string), Number(m[1]), m.slice(4));
  return null;
}

/** moment's pivot: 69–99 are the 1900s, 00–68 the 2000s. */
export function twoDigitYear(text: string): number {
  const n = Number(text);
  if (text.length > 2) return n;
  return n > 68 ? 1900 + n : 2000 + n;
}

/** `time` holds the TIME then ZONE capture groups: hour, minute, second, fraction, meridiem, zone. */
function build(year: number, month: number, day: number, time: Array<string | undefined>): Date | null {
  const [hour, minute, second, fraction, meridiem, zone] = time;
  return fromParts({
    year,
    month,
    day,
    hour: hour === undefined ? 0 : applyMeridiem(Number(hour), meridiem),
    minute: Number(minute ?? 0),
    second: Number(second ?? 0),
    millisecond: fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000),
    offsetMinutes: parseOffset(zone),
  });
}

/** 12 AM is hour 0, 1–11 PM are 13–23; NaN when a meridiem comes with an hour outside 1–12. */
export function applyMeridiem(hour: number, meridiem: string | undefined): number {
  if (meridiem === undefined) return hour;
  if (hour < 1 || hour > 12) return Number.NaN;
  const pm = meridiem.toLowerCase().startsWith('p');
  return (hour % 12) + (pm ? 12 : 0);
}

/** 'Z' → 0, '+05:30' → 330, '-0800' → -480, '+02' → 120. */
export function parseOffset(zone: string | undefined): number | undefined {
  if (zone === undefined || zone.toUpperCase() === 'Z') return zone === undefined ? undefined : 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

/** The instant the parts describe, or null when a field is out of range (Feb 30, 25:00). */
export function fromParts(p: DateParts): Date | null {
  const hour = p.hour ?? 0;
  const minute = p.minute ?? 0;
  const second = p.second ?? 0;
  const millisecond = p.millisecond ?? 0;
  const valid =
    Number.isInteger(p.year) &&
    p.month >= 0 &&
    p.month <= 11 &&
    p.day >= 1 &&
    p.day <= new Date(Date.UTC(p.year, p.month + 1, 0)).getUTCDate() &&
    hour >= 0 &&
    hour <= 23 &&
    minute >= 0 &&
    minute <= 59 &&
    second >= 0 &&
    second <= 59;
  if (!valid) return null;
  const wall = new Date(0);
  wall.setUTCFullYear(p.year, p.month, p.day);
  wall.setUTCHours(hour, minute, second, millisecond);
  return new Date(wall.getTime() - (p.offsetMinutes ?? 0) * 60_000);
}
