/**
 * Working-day arithmetic on UTC day numbers (days since 1970-01-01). Saturdays, Sundays and
 * the given holidays are not working days.
 */

const DAY_MS = 86_400_000;
const NO_HOLIDAYS: ReadonlySet<number> = new Set();

export function dayNumber(date: Date): number {
  return Math.floor(date.getTime() / DAY_MS);
}

export function dateOfDay(day: number): Date {
  return new Date(day * DAY_MS);
}

function isWorkday(day: number, holidays: ReadonlySet<number>): boolean {
  // 1970-01-01 was a Thursday (weekday 4).
  const weekday = (((day + 4) % 7) + 7) % 7;
  return weekday !== 0 && weekday !== 6 && !holidays.has(day);
}

/** The day `count` working days after `start` (before it when negative); `start` itself never counts. */
export function addWorkdays(start: number, count: number, holidays: ReadonlySet<number>): number {
  const step = count < 0 ? -1 : 1;
  let day = start;
  for (let left = Math.abs(count); left > 0; ) {
    day += step;
    if (isWorkday(day, holidays)) left--;
  }
  return day;
}

/**
 * Working days from `start` to `end`, both included (Excel's NETWORKDAYS); negative when
 * `end` is before `start`.
 */
export function countWorkdays(start: number, end: number, holidays: ReadonlySet<number>): number {
  if (end < start) return -countWorkdays(end, start, holidays);
  const total = end - start + 1;
  const fullWeeks = Math.floor(total / 7);
  let count = fullWeeks * 5;
  for (let day = start + fullWeeks * 7; day <= end; day++) if (isWorkday(day, NO_HOLIDAYS)) count++;
  for (const holiday of holidays)
    if (holiday >= start && holiday <= end && isWorkday(holiday, NO_HOLIDAYS)) count--;
  return count;
}
