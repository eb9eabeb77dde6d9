import { formatTokens } from './format-tokens.ts';
import { monthFromName } from './names.ts';
import { applyMeridiem, type DateParts, fromParts, parseOffset, twoDigitYear } from './parse-date.ts';

type Fields = {
  year?: number;
  month?: number;
  day?: number;
  dayOfYear?: number;
  hour?: number;
  minute?: number;
  second?: number;
  millisecond?: number;
  meridiem?: string;
  offsetMinutes?: number;
  /** X and x give the instant outright. */
  epochMs?: number;
};

/** How a token reads: the pattern it matches and where the match goes. */
interface Reader {
  pattern: string;
  apply(fields: Fields, text: string): void;
}

type NumericField = 'year' | 'day' | 'dayOfYear' | 'hour' | 'minute' | 'second';

/** A token that is a plain number of `width` digits ('4', '1,2') stored in `key`. */
const digits = (key: NumericField, width: string): Reader => ({
  pattern: `(\\d{${width}})`,
  apply: (f, t) => {
    f[key] = Number(t);
  },
});

const READERS: Readonly<Record<string, Reader>> = {
  YYYY: digits('year', '4'),
  Y: { pattern: '([+-]?\\d{1,6})', apply: (f, t) => (f.year = Number(t)) },
  YY: { pattern: '(\\d{2})', apply: (f, t) => (f.year = twoDigitYear(t)) },
  M: { pattern: '(\\d{1,2})', apply: (f, t) => (f.month = Number(t) - 1) },
  MM: { pattern: '(\\d{1,2})', apply: (f, t) => (f.month = Number(t) - 1) },
  MMM: { pattern: '([A-Za-z]+\\.?)', apply: (f, t) => (f.month = monthFromName(t)) },
  MMMM: { pattern: '([A-Za-z]+\\.?)', apply: (f, t) => (f.month = monthFromName(t)) },
  D: digits('day', '1,2'),
  DD: digits('day', '1,2'),
  Do: { pattern: '(\\d{1,2})(?:st|nd|rd|th)?', apply: (f, t) => (f.day = Number(t)) },
  DDD: digits('dayOfYear', '1,3'),
  DDDD: digits('dayOfYear', '1,3'),
  d: { pattern: '(\\d)', apply: () => {} },
  dd: { pattern: '([A-Za-z]+)', apply: () => {} },
  ddd: { pattern: '([A-Za-z]+\\.?)', apply: () => {} },
  dddd: { pattern: '([A-Za-z]+)', apply: () => {} },
  H: digits('hour', '1,2'),
  HH: digits('hour', '1,2'),
  h: digits('hour', '1,2'),
  hh: digits('hour', '1,2'),
  k: { pattern: '(\\d{1,2})', apply: (f, t) => (f.hour = Number(t) % 24) },
  kk: { pattern: '(\\d{1,2})', apply: (f, t) => (f.hour = Number(t) % 24) },
  m: digits('minute', '1,2'),
  mm: digits('minute', '1,2'),
  s: digits('second', '1,2'),
  ss: digits('second', '1,2'),
  S: { pattern: '(\\d+)', apply: (f, t) => (f.millisecond = Math.floor(Number(`0.${t}`) * 1000)) },
  SS: { pattern: '(\\d+)', apply: (f, t) => (f.millisecond = Math.floor(Number(`0.${t}`) * 1000)) },
  SSS: { pattern: '(\\d+)', apply: (f, t) => (f.millisecond = Math.floor(Number(`0.${t}`) * 1000)) },
  A: { pattern: '([AaPp]\\.?[Mm]\\.?)', apply: (f, t) => (f.meridiem = t) },
  a: { pattern: '([AaPp]\\.?[Mm]\\.?)', apply: (f, t) => (f.meridiem = t) },
  Z: { pattern: '(Z|[+-]\\d{2}:?\\d{2})', apply: (f, t) => (f.offsetMinutes = parseOffset(t)) },
  ZZ: { pattern: '(Z|[+-]\\d{2}:?\\d{2})', apply: (f, t) => (f.offsetMinutes = parseOffset(t)) },
  X: { pattern: '(-?\\d+(?:\\.\\d+)?)', apply: (f, t) => (f.epochMs = Number(t) * 1000) },
  x: { pattern: '(-?\\d+)', apply: (f, t) => (f.epochMs = Number(t)) },
};

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Parses text laid out as a moment.js format describes (DATETIME_PARSE's second argument).
 * Like moment's forgiving mode, separators need not match exactly and trailing text is ignored.
 * Missing date fields take today's (from `now`) up to the first given one, then their minimum.
 */
export function parseWithFormat(text: string, format: string, now: Date): Date | null {
  const readers: Reader[] = [];
  let pattern = '^\\s*';
  for (const part of formatTokens(format)) {
    if ('token' in part) {
      const reader = READERS[part.token];
      if (reader) {
        readers.push(reader);
        pattern += reader.pattern;
        continue;
      }
    }
    const literal = 'literal' in part ? part.literal : part.token;
    // Separators are interchangeable ('/' in the format accepts '-'); letters must match.
    pattern += /^[A-Za-z0-9]+$/.test(literal) ? escapeRegExp(literal) : '[^A-Za-z0-9]*';
  }
  const match = new RegExp(pattern, 'i').exec(text);
  if (!match) return null;
  const fields: Fields = {};
  readers.forEach((reader, i) => {
    reader.apply(fields, match[i + 1] ?? '');
  });
  if (fields.epochMs !== undefined) return Number.isFinite(fields.epochMs) ? new Date(fields.epochMs) : null;
  return fromParts(complete(fields, now));
}

function complete(f: Fields, now: Date): DateParts {
  const today = [now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()];
  const given = [f.year, f.month, f.day];
  if (f.dayOfYear !== undefined) {
    const start = Date.UTC(f.year ?? today[0] ?? 1970, 0, 1);
    const date = new Date(start + (f.dayOfYear - 1) * 86_400_000);
    given.splice(0, 3, date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  }
  const firstGiven = given.findIndex((v) => v !== undefined);
  const minimums = [1970, 0, 1];
  const [year, month, day] = given.map((v, i) =>
    v !== undefined
      ? v
      : firstGiven === -1 || i < firstGiven
        ? (today[i] as number)
        : (minimums[i] as number),
  ) as [number, number, number];
  return {
    year,
    month,
    day,
    hour: f.hour === undefined ? 0 : applyMeridiem(f.hour, f.meridiem),
    minute: f.minute ?? 0,
    second: f.second ?? 0,
    millisecond: f.millisecond ?? 0,
    offsetMinutes: f.offsetMinutes,
  };
}
