/**
 * A date that SET_TIMEZONE() tied to an IANA time zone. It is still the same instant (so
 * comparisons and arithmetic ignore the zone); only wall-clock readings (DATETIME_FORMAT,
 * HOUR(), DAY(), ...) use the zone. Plain Dates read in UTC.
 */
export class ZonedDate extends Date {
  constructor(
    ms: number,
    readonly timeZone: string,
  ) {
    super(ms);
  }
}

/** True when Intl knows the zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at an instant, in milliseconds (New York in winter: -5 h). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  if (timeZone === 'UTC') return 0;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  const wholeSeconds = instant - (((instant % 1000) + 1000) % 1000);
  return wall - wholeSeconds;
}

/** The date's offset from UTC, in ms: 0 unless it came from SET_TIMEZONE(). */
export function offsetOf(date: Date): number {
  return date instanceof ZonedDate ? zoneOffsetMs(date.getTime(), date.timeZone) : 0;
}

/**
 * A Date whose UTC fields are the wall-clock reading of `date` in its zone, so callers can
 * use getUTCHours() and friends for both plain and zoned dates.
 */
export function wallClock(date: Date): Date {
  return new Date(date.getTime() + offsetOf(date));
}

/** A new date at `ms`, keeping the zone of `like` if it has one. */
export function sameZone(like: Date, ms: number): Date {
  return like instanceof ZonedDate ? new ZonedDate(ms, like.timeZone) : new Date(ms);
}
