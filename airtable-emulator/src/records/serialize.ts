import type { RecordReader } from '../fields/record-reader.ts';
import { cellString, type StringFormat } from '../fields/string-format.ts';
import type { FieldDef, RecordData } from '../model/types.ts';

export interface SerializeOptions {
  /** Only these fields (in table order); all when undefined. */
  fields?: FieldDef[];
  byFieldId: boolean;
  /** Set for `cellFormat=string`. */
  stringFormat?: StringFormat;
  commentCount?: (recordId: string) => number;
}

export interface ApiRecord {
  id: string;
  createdTime: string;
  fields: Record<string, unknown>;
  commentCount?: number;
}

/** A record as the API returns it: empty cells omitted, keyed by name or id. */
export function serializeRecord(
  reader: RecordReader,
  record: RecordData,
  options: SerializeOptions,
): ApiRecord {
  const fields: Record<string, unknown> = {};
  for (const field of options.fields ?? reader.table.fields) {
    const value = options.stringFormat
      ? cellString(reader, field, record, options.stringFormat)
      : reader.json(field, record);
    if (value !== undefined) fields[options.byFieldId ? field.id : field.name] = value;
  }
  const result: ApiRecord = { id: record.id, createdTime: record.createdTime, fields };
  if (options.commentCount) result.commentCount = options.commentCount(record.id);
  return result;
}
