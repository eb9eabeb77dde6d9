const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

function validCalendarDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** Texts that name their own zone (a time followed by Z or an offset, or GMT/UTC). */
const EXPLICIT_ZONE = /:\d{2}(?:\.\d+)?\s*(?:Z|[+-]\d{2}:?\d{2})$|\b(?:GMT|UTC)\b/i;
/** V8 reads bare ISO dates (`2026`, `2026-03`, `2026-03-05`) as UTC already. */
const ISO_DATE_PREFIX = /^\d{4}(-\d{2}(-\d{2})?)?$/;

/** Epoch ms of a date text; a text without a zone is read as UTC, never in the host's zone. */
function parseInstant(text: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms) || EXPLICIT_ZONE.test(text) || ISO_DATE_PREFIX.test(text)) return ms;
  const d = new Date(ms);
  return Date.UTC(
    d.getFullYear(),
    d.getMonth(),
    d.getDate(),
    d.getHours(),
    d.getMinutes(),
    d.getSeconds(),
    d.getMilliseconds(),
  );
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
    const ms = parseInstant(trimmed);
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
  const ms = parseInstant(m ? `${trimmed}T00:00:00Z` : trimmed);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
