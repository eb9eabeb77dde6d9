import { addUnits, diffUnits, startOfUnit } from '../dates/calendar.ts';
import { parseDateUnit } from '../dates/units.ts';
import { addWorkdays, countWorkdays, dateOfDay, dayNumber } from '../dates/workdays.ts';
import { offsetOf, sameZone, ZonedDate, zoneOffsetMs } from '../dates/zoned-date.ts';
import { MAX_WORKDAYS } from '../limits.ts';
import { FormulaError, type FormulaValue } from '../types.ts';
import { flatten, toDate, toNumber } from '../values/coerce.ts';
import { toText } from '../values/display.ts';
import { unitArg, withDate, withDates } from './date-args.ts';
import { arg, type FunctionSpec } from './function-spec.ts';

/**
 * Holidays for WORKDAY/WORKDAY_DIFF: a comma-separated text of ISO dates (Airtable's form),
 * or a list of dates.
 */
function holidaysArg(args: FormulaValue[], i: number): Set<number> | FormulaError {
  const raw = arg(args, i);
  const items = Array.isArray(raw) ? flatten(raw) : toText(raw).split(',');
  const days = new Set<number>();
  for (const item of items) {
    const date = toDate(typeof item === 'string' ? item.trim() : item);
    if (date instanceof FormulaError) return date;
    if (date !== null) days.add(dayNumber(date));
  }
  return days;
}

/** Both dates read on the first date's wall clock, so IS_SAME(..., 'day') means the same local day. */
function wallPair(a: Date, b: Date): [number, number] {
  const offset = offsetOf(a);
  const bOffset = a instanceof ZonedDate ? zoneOffsetMs(b.getTime(), a.timeZone) : offset;
  return [a.getTime() + offset, b.getTime() + bOffset];
}

export const DATE_MATH_FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'DATEADD',
    kind: 'eager',
    minArgs: 3,
    maxArgs: 3,
    returns: 'dateTime',
    call: (args) => {
      const count = toNumber(arg(args, 1));
      if (count instanceof FormulaError) return count;
      const unit = unitArg(args, 2);
      if (unit instanceof FormulaError) return unit;
      return withDate(args, 0, (date) => sameZone(date, addUnits(date.getTime(), count, unit)));
    },
  },
  {
    name: 'DATETIME_DIFF',
    kind: 'eager',
    minArgs: 2,
    maxArgs: 3,
    returns: 'number',
    // Airtable: no unit means seconds; a unit it does not recognize means milliseconds.
    call: (args) => {
      const unit = args.length < 3 ? 'seconds' : (parseDateUnit(toText(arg(args, 2))) ?? 'milliseconds');
      return withDates(args, (a, b) => diffUnits(a.getTime(), b.getTime(), unit));
    },
  },
  {
    name: 'IS_BEFORE',
    kind: 'eager',
    minArgs: 2,
    maxArgs: 2,
    returns: 'number',
    call: (args) => withDates(args, (a, b) => a.getTime() < b.getTime(), false),
  },
  {
    name: 'IS_AFTER',
    kind: 'eager',
    minArgs: 2,
    maxArgs: 2,
    returns: 'number',
    call: (args) => withDates(args, (a, b) => a.getTime() > b.getTime(), false),
  },
  {
    name: 'IS_SAME',
    kind: 'eager',
    minArgs: 2,
    maxArgs: 3,
    returns: 'number',
    // Without a unit (or with one it does not know) the instants must be equal.
    call: (args) => {
      const unit = args.length < 3 ? undefined : parseDateUnit(toText(arg(args, 2)));
      return withDates(
        args,
        (a, b) => {
          if (unit === undefined) return a.getTime() === b.getTime();
          const [x, y] = wallPair(a, b);
          return startOfUnit(x, unit) === startOfUnit(y, unit);
        },
        false,
      );
    },
  },
  {
    name: 'WORKDAY',
    kind: 'eager',
    minArgs: 2,
    maxArgs: 3,
    returns: 'date',
    call: (args) => {
      const count = toNumber(arg(args, 1));
      if (count instanceof FormulaError) return count;
      if (Math.abs(count) > MAX_WORKDAYS) return new FormulaError('#ERROR!', 'WORKDAY() count too large');
      const holidays = holidaysArg(args, 2);
      if (holidays instanceof FormulaError) return holidays;
      return withDate(args, 0, (start) =>
        dateOfDay(addWorkdays(dayNumber(start), Math.trunc(count), holidays)),
      );
    },
  },
  {
    name: 'WORKDAY_DIFF',
    kind: 'eager',
    minArgs: 2,
    maxArgs: 3,
    returns: 'number',
    call: (args) => {
      const holidays = holidaysArg(args, 2);
      if (holidays instanceof FormulaError) return holidays;
      return withDates(args, (a, b) => countWorkdays(dayNumber(a), dayNumber(b), holidays));
    },
  },
];
