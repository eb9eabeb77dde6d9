import { dayOfYear, weekOfYear } from '../dates/calendar.ts';
import { formatDate, formatIso } from '../dates/format-date.ts';
import { weekdayFromName } from '../dates/names.ts';
import { parseDateText } from '../dates/parse-date.ts';
import { parseWithFormat } from '../dates/parse-with-format.ts';
import { isValidTimeZone, wallClock, ZonedDate } from '../dates/zoned-date.ts';
import type { StaticType } from '../static-type.ts';
import { FormulaError, type FormulaValue } from '../types.ts';
import { toText } from '../values/display.ts';
import { withDate } from './date-args.ts';
import { arg, type FunctionSpec } from './function-spec.ts';

/** A date → number reading of the wall clock (UTC, or the SET_TIMEZONE zone). */
function part(name: string, read: (wall: Date) => number): FunctionSpec {
  return {
    name,
    kind: 'eager',
    minArgs: 1,
    maxArgs: 1,
    returns: 'number',
    call: (args) => withDate(args, 0, (date) => read(wallClock(date))),
  };
}

/** The weekday a week starts on, from WEEKDAY/WEEKNUM's optional second argument ('Monday'). */
function weekStart(args: FormulaValue[]): number | FormulaError {
  if (args.length < 2 || arg(args, 1) === null) return 0;
  const day = weekdayFromName(toText(arg(args, 1)));
  return day === -1 ? new FormulaError('#ERROR!', `unknown weekday '${toText(arg(args, 1))}'`) : day;
}

function formatted(name: string, format: string): FunctionSpec {
  return {
    name,
    kind: 'eager',
    minArgs: 1,
    maxArgs: 1,
    returns: 'singleLineText',
    call: (args) => withDate(args, 0, (date) => formatDate(date, format)),
  };
}

export const DATE_PART_FUNCTIONS: readonly FunctionSpec[] = [
  part('YEAR', (d) => d.getUTCFullYear()),
  part('MONTH', (d) => d.getUTCMonth() + 1),
  part('DAY', (d) => d.getUTCDate()),
  part('HOUR', (d) => d.getUTCHours()),
  part('MINUTE', (d) => d.getUTCMinutes()),
  part('SECOND', (d) => d.getUTCSeconds()),
  {
    name: 'WEEKDAY',
    kind: 'eager',
    minArgs: 1,
    maxArgs: 2,
    returns: 'number',
    call: (args) => {
      const start = weekStart(args);
      if (start instanceof FormulaError) return start;
      return withDate(args, 0, (date) => (wallClock(date).getUTCDay() - start + 7) % 7);
    },
  },
  {
    name: 'WEEKNUM',
    kind: 'eager',
    minArgs: 1,
    maxArgs: 2,
    returns: 'number',
    call: (args) => {
      const start = weekStart(args);
      if (start instanceof FormulaError) return start;
      return withDate(args, 0, (date) => weekOfYear(wallClock(date).getTime(), start));
    },
  },
  part('DAYOFYEAR', (d) => dayOfYear(d.getTime())),
  formatted('DATESTR', 'YYYY-MM-DD'),
  formatted('TIMESTR', 'HH:mm:ss'),
  {
    name: 'DATETIME_FORMAT',
    kind: 'eager',
    minArgs: 1,
    maxArgs: 2,
    returns: 'singleLineText',
    call: (args) => {
      const format = toText(arg(args, 1));
      return withDate(args, 0, (date) => (format === '' ? formatIso(date) : formatDate(date, format)));
    },
  },
  {
    name: 'DATETIME_PARSE',
    kind: 'eager',
    minArgs: 1,
    maxArgs: 3,
    returns: 'dateTime',
    // The third argument (a locale) is accepted and ignored: only English names are read.
    call: (args, record) => {
      const input = arg(args, 0);
      if (input instanceof Date) return input;
      const text = toText(input).trim();
      if (text === '') return null;
      const format = toText(arg(args, 1));
      const parsed = format === '' ? parseDateText(text) : parseWithFormat(text, format, record.now);
      return parsed ?? new FormulaError('#ERROR!', `DATETIME_PARSE() cannot read '${text}'`);
    },
  },
  {
    name: 'SET_TIMEZONE',
    kind: 'eager',
    minArgs: 2,
    maxArgs: 2,
    returns: 'dateTime',
    call: (args) => {
      const zone = toText(arg(args, 1)).trim();
      if (!isValidTimeZone(zone)) return new FormulaError('#ERROR!', `unknown time zone '${zone}'`);
      return withDate(args, 0, (date) => new ZonedDate(date.getTime(), zone));
    },
  },
  {
    name: 'SET_LOCALE',
    kind: 'eager',
    minArgs: 2,
    maxArgs: 2,
    returns: (types: StaticType[]) => types[0] ?? 'dateTime',
    // Accepted for compatibility; formatting stays English.
    call: (args) => withDate(args, 0, (date) => date),
  },
  {
    name: 'TODAY',
    kind: 'eager',
    minArgs: 0,
    maxArgs: 0,
    returns: 'date',
    call: (_args, record) => {
      const now = record.now;
      return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    },
  },
  {
    name: 'NOW',
    kind: 'eager',
    minArgs: 0,
    maxArgs: 0,
    returns: 'dateTime',
    call: (_args, record) => record.now,
  },
];
