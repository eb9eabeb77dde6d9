import { FormulaError, formatFormulaValue } from '../formula/index.ts';
import type { Attachment, FieldDef, RecordData } from '../model/types.ts';
import type { RecordReader } from './record-reader.ts';

export interface StringFormat {
  timeZone: string;
  userLocale: string;
  /** Intl formatters built for this request; building one costs far more than using it. */
  formatters: Map<string, Intl.DateTimeFormat | Intl.NumberFormat>;
}

export function createStringFormat(timeZone: string, userLocale: string): StringFormat {
  return { timeZone, userLocale, formatters: new Map() };
}

function formatter(
  format: StringFormat,
  locale: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let cached = format.formatters.get(key) as Intl.DateTimeFormat | undefined;
  if (!cached) {
    cached = new Intl.DateTimeFormat(locale, options);
    format.formatters.set(key, cached);
  }
  return cached;
}

function numberFormatter(format: StringFormat, precision: unknown, grouping: boolean): Intl.NumberFormat {
  const digits = typeof precision === 'number' ? precision : undefined;
  const key = `number|${digits}|${grouping}`;
  let cached = format.formatters.get(key) as Intl.NumberFormat | undefined;
  if (!cached) {
    cached = new Intl.NumberFormat(format.userLocale, {
      useGrouping: grouping,
      minimumFractionDigits: digits ?? 0,
      maximumFractionDigits: digits ?? 8,
    });
    format.formatters.set(key, cached);
  }
  return cached;
}

/** True when both settings are ones Intl understands; Airtable rejects unknown ones. */
export function isValidStringFormat(format: Pick<StringFormat, 'timeZone' | 'userLocale'>): boolean {
  try {
    new Intl.DateTimeFormat(format.userLocale, { timeZone: format.timeZone });
    return Intl.DateTimeFormat.supportedLocalesOf([format.userLocale]).length > 0;
  } catch {
    return false;
  }
}

/** A cell as Airtable's `cellFormat=string` renders it, or undefined when empty. */
export function cellString(
  reader: RecordReader,
  field: FieldDef,
  record: RecordData,
  format: StringFormat,
): string | undefined {
  const json = reader.json(field, record);
  if (json === undefined) return undefined;
  const options = field.options ?? {};
  switch (field.type) {
    case 'number':
      return numberFormatter(format, options.precision, false).format(json as number);
    case 'currency':
      return `${String(options.symbol ?? '$')}${numberFormatter(format, options.precision ?? 2, true).format(json as number)}`;
    case 'percent':
      return `${numberFormatter(format, options.precision, false).format((json as number) * 100)}%`;
    case 'duration':
      return duration(json as number);
    case 'checkbox':
      return 'checked';
    case 'multipleSelects':
      return (json as string[]).join(', ');
    case 'multipleRecordLinks':
      return reader.linkNames(field, json as string[]).join(', ');
    case 'multipleAttachments':
      return (json as Attachment[]).map((a) => `${a.filename} (${a.url})`).join(', ');
    case 'date':
      return formatDate(format, new Date(`${String(json)}T00:00:00.000Z`), options, false);
    case 'dateTime':
    case 'createdTime':
    case 'lastModifiedTime':
      return formatDate(format, new Date(String(json)), options, true);
    case 'formula': {
      const value = reader.formulaValue(field, record);
      if (value instanceof FormulaError) return value.display;
      if (value instanceof Date) return formatDate(format, value, options, true);
      const text = formatFormulaValue(value);
      return text === '' ? undefined : text;
    }
    default:
      return String(json);
  }
}

function duration(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  const total = Math.abs(Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${sign}${h}:${String(m).padStart(2, '0')}${s ? `:${String(s).padStart(2, '0')}` : ''}`;
}

function formatDate(
  format: StringFormat,
  date: Date,
  options: Record<string, unknown>,
  withTime: boolean,
): string {
  const locale = format.userLocale;
  const timeZone = format.timeZone;
  const dateFormat = (options.dateFormat as { name?: string } | undefined)?.name ?? 'local';
  const tz = withTime ? timeZone : 'UTC';
  const parts = Object.fromEntries(
    formatter(format, 'en-US', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const m = String(Number(parts.month));
  const d = String(Number(parts.day));
  let day: string;
  switch (dateFormat) {
    case 'iso':
      day = `${parts.year}-${parts.month}-${parts.day}`;
      break;
    case 'us':
      day = `${m}/${d}/${parts.year}`;
      break;
    case 'european':
      day = `${d}/${m}/${parts.year}`;
      break;
    case 'friendly':
      day = formatter(format, locale, { timeZone: tz, dateStyle: 'long' }).format(date);
      break;
    default:
      day = formatter(format, locale, {
        timeZone: tz,
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
      }).format(date);
  }
  if (!withTime) return day;
  // Airtable's time formats are moment's `h:mma` ("7:05pm") and `HH:mm` ("19:05") in every locale.
  const clock = Object.fromEntries(
    formatter(format, 'en-US', { timeZone: tz, hour: 'numeric', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const hour = Number(clock.hour) % 24;
  const time =
    (options.timeFormat as { name?: string } | undefined)?.name === '24hour'
      ? `${String(hour).padStart(2, '0')}:${clock.minute}`
      : `${hour % 12 || 12}:${clock.minute}${hour < 12 ? 'am' : 'pm'}`;
  return `${day} ${time}`;
}
