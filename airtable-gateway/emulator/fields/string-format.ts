import { FormulaError, formatFormulaValue } from '../formula/index.ts';
import type { Attachment, FieldDef, RecordData } from '../model/types.ts';
import type { RecordReader } from './record-reader.ts';

export interface StringFormat {
  timeZone: string;
  userLocale: string;
}

/** True when both settings are ones Intl understands; Airtable rejects unknown ones. */
export function isValidStringFormat(format: StringFormat): boolean {
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
      return fixed(json as number, options.precision, format.userLocale, false);
    case 'currency':
      return `${String(options.symbol ?? '$')}${fixed(json as number, options.precision ?? 2, format.userLocale, true)}`;
    case 'percent':
      return `${fixed((json as number) * 100, options.precision, format.userLocale, false)}%`;
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
      return formatDate(new Date(`${String(json)}T00:00:00.000Z`), 'UTC', format.userLocale, options, false);
    case 'dateTime':
    case 'createdTime':
    case 'lastModifiedTime':
      return formatDate(new Date(String(json)), format.timeZone, format.userLocale, options, true);
    case 'formula': {
      const value = reader.formulaValue(field, record);
      if (value instanceof FormulaError) return value.display;
      if (value instanceof Date) return formatDate(value, format.timeZone, format.userLocale, options, true);
      const text = formatFormulaValue(value);
      return text === '' ? undefined : text;
    }
    default:
      return String(json);
  }
}

function fixed(value: number, precision: unknown, locale: string, grouping: boolean): string {
  const digits = typeof precision === 'number' ? precision : undefined;
  return value.toLocaleString(locale, {
    useGrouping: grouping,
    minimumFractionDigits: digits ?? 0,
    maximumFractionDigits: digits ?? 8,
  });
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
  date: Date,
  timeZone: string,
  locale: string,
  options: Record<string, unknown>,
  withTime: boolean,
): string {
  const dateFormat = (options.dateFormat as { name?: string } | undefined)?.name ?? 'local';
  const tz = withTime ? timeZone : 'UTC';
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' })
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
      day = new Intl.DateTimeFormat(locale, { timeZone: tz, dateStyle: 'long' }).format(date);
      break;
    default:
      day = new Intl.DateTimeFormat(locale, {
        timeZone: tz,
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
      }).format(date);
  }
  if (!withTime) return day;
  // Airtable's time formats are moment's `h:mma` ("7:05pm") and `HH:mm` ("19:05") in every locale.
  const clock = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: tz, hour: 'numeric', minute: '2-digit', hourCycle: 'h23' })
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
