const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

function validCalendarDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/**
 * A date cell: `YYYY-MM-DD`. Airtable also accepts a full ISO timestamp (it keeps the
 * day); `lenient` (typecast) accepts anything `Date.parse` understands.
 */
export function parseDateOnly(value: string, lenient: boolean): string | undefined {
  const trimmed = value.trim();
  const m = ISO_DATE.exec(trimmed);
  if (m) return validCalendarDate(Number(m[1]), Number(m[2]), Number(m[3])) ? trimmed : undefined;
  if (ISO_DATE_TIME.test(trimmed) || lenient) {
    const ms = Date.parse(trimmed);
    if (Number.isNaN(ms)) return undefined;
    return new Date(ms).toISOString().slice(0, 10);
  }
  return undefined;
}

/** A dateTime cell: stored and returned as ISO UTC with milliseconds, like Airtable. */
export function parseDateTime(value: string, lenient: boolean): string | undefined {
  const trimmed = value.trim();
  if (!(ISO_DATE.test(trimmed) || ISO_DATE_TIME.test(trimmed) || lenient)) return undefined;
  const m = ISO_DATE.exec(trimmed);
  if (m && !validCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined;
  const ms = Date.parse(m ? `${trimmed}T00:00:00Z` : trimmed);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
