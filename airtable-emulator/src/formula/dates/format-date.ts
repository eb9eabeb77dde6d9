import { dayOfYear, isoWeek, weekOfYear } from './calendar.ts';
import { formatTokens } from './format-tokens.ts';
import { MONTH_NAMES, ordinal, WEEKDAY_NAMES } from './names.ts';
import { offsetOf, wallClock, ZonedDate } from './zoned-date.ts';

/**
 * DATETIME_FORMAT's output without a format: ISO 8601 with milliseconds. A UTC date reads
 * exactly as toISOString() ('…Z'); a SET_TIMEZONE date shows its wall clock and offset.
 */
export function formatIso(date: Date): string {
  return date instanceof ZonedDate ? formatDate(date, 'YYYY-MM-DDTHH:mm:ss.SSSZ') : date.toISOString();
}

/** Formats a date with moment.js tokens, reading the wall clock of the date's zone (UTC unless SET_TIMEZONE). */
export function formatDate(date: Date, format: string): string {
  const wall = wallClock(date);
  const offsetMinutes = Math.round(offsetOf(date) / 60_000);
  let out = '';
  for (const part of formatTokens(format)) {
    out += 'literal' in part ? part.literal : formatToken(part.token, wall, date, offsetMinutes);
  }
  return out;
}

function pad(n: number, width: number): string {
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.abs(n)).padStart(width, '0');
}

function formatOffset(minutes: number, separator: string): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60), 2)}${separator}${pad(abs % 60, 2)}`;
}

/** One token's text. `wall` holds the wall-clock reading in its UTC fields; `instant` is the real date. */
function formatToken(token: string, wall: Date, instant: Date, offsetMinutes: number): string {
  const year = wall.getUTCFullYear();
  const month = wall.getUTCMonth();
  const day = wall.getUTCDate();
  const weekday = wall.getUTCDay();
  const hour = wall.getUTCHours();
  const ms = wall.getTime();
  switch (token) {
    case 'YYYY':
      return pad(year, 4);
    case 'YY':
      return pad(((year % 100) + 100) % 100, 2);
    case 'Y':
      return String(year);
    case 'Q':
      return String(Math.floor(month / 3) + 1);
    case 'Qo':
      return ordinal(Math.floor(month / 3) + 1);
    case 'M':
      return String(month + 1);
    case 'Mo':
      return ordinal(month + 1);
    case 'MM':
      return pad(month + 1, 2);
    case 'MMM':
      return MONTH_NAMES[month]?.slice(0, 3) ?? '';
    case 'MMMM':
      return MONTH_NAMES[month] ?? '';
    case 'D':
      return String(day);
    case 'Do':
      return ordinal(day);
    case 'DD':
      return pad(day, 2);
    case 'DDD':
      return String(dayOfYear(ms));
    case 'DDDo':
      return ordinal(dayOfYear(ms));
    case 'DDDD':
      return pad(dayOfYear(ms), 3);
    case 'd':
    case 'e':
      return String(weekday);
    case 'do':
      return ordinal(weekday);
    case 'E':
      return String(weekday === 0 ? 7 : weekday);
    case 'dd':
      return WEEKDAY_NAMES[weekday]?.slice(0, 2) ?? '';
    case 'ddd':
      return WEEKDAY_NAMES[weekday]?.slice(0, 3) ?? '';
    case 'dddd':
      return WEEKDAY_NAMES[weekday] ?? '';
    case 'w':
      return String(localeWeek(ms));
    case 'wo':
      return ordinal(localeWeek(ms));
    case 'ww':
      return pad(localeWeek(ms), 2);
    case 'W':
      return String(isoWeek(ms));
    case 'Wo':
      return ordinal(isoWeek(ms));
    case 'WW':
      return pad(isoWeek(ms), 2);
    case 'A':
      return hour < 12 ? 'AM' : 'PM';
    case 'a':
      return hour < 12 ? 'am' : 'pm';
    case 'H':
      return String(hour);
    case 'HH':
      return pad(hour, 2);
    case 'h':
      return String(hour % 12 || 12);
    case 'hh':
      return pad(hour % 12 || 12, 2);
    case 'k':
      return String(hour || 24);
    case 'kk':
      return pad(hour || 24, 2);
    case 'm':
      return String(wall.getUTCMinutes());
    case 'mm':
      return pad(wall.getUTCMinutes(), 2);
    case 's':
      return String(wall.getUTCSeconds());
    case 'ss':
      return pad(wall.getUTCSeconds(), 2);
    case 'S':
      return String(Math.floor(wall.getUTCMilliseconds() / 100));
    case 'SS':
      return pad(Math.floor(wall.getUTCMilliseconds() / 10), 2);
    case 'SSS':
      return pad(wall.getUTCMilliseconds(), 3);
    case 'Z':
      return formatOffset(offsetMinutes, ':');
    case 'ZZ':
      return formatOffset(offsetMinutes, '');
    case 'z':
    case 'zz':
      return zoneAbbreviation(instant);
    case 'X':
      return String(Math.floor(instant.getTime() / 1000));
    case 'x':
      return String(instant.getTime());
    default:
      return token;
  }
}

/**
 * moment's 'en' locale week: weeks start on Sunday and week 1 holds January 1, so the last
 * days of December may belong to week 1 of the next year.
 */
function localeWeek(ms: number): number {
  const d = new Date(ms);
  const nextJan1 = Date.UTC(d.getUTCFullYear() + 1, 0, 1);
  const nextWeekStart = nextJan1 - new Date(nextJan1).getUTCDay() * 86_400_000;
  return ms >= nextWeekStart ? 1 : weekOfYear(ms, 0);
}

function zoneAbbreviation(date: Date): string {
  if (!(date instanceof ZonedDate)) return 'UTC';
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: date.timeZone,
    timeZoneName: 'short',
  }).formatToParts(date);
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? date.timeZone;
}
