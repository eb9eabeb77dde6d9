/** The shapes the in-process client reads and writes: Airtable's own JSON, typed loosely. */

/** A record's cells, keyed by field name (or id with `returnFieldsByFieldId`), in Airtable's JSON cell format. */
export type Fields = Record<string, unknown>;

/** A record as Airtable returns it; empty cells are absent from `fields`. */
export interface AirtableRecord {
  id: string;
  createdTime: string;
  fields: Fields;
  /** Present when `recordMetadata: ['commentCount']` was asked for. */
  commentCount?: number;
}

/** Cancellation for one call. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** Options of a base-schema read. */
export interface SchemaReadOptions extends CallOptions {
  /**
   * Read it from Airtable, not the gateway's schema cache, which then holds the fresh one:
   * for a table or field that may have been created elsewhere since it was cached. Concurrent
   * fresh reads share one upstream call, and within a second of one the cache answers again.
   */
  fresh?: boolean;
}

/** Options of a records list, as Airtable's list-records endpoint takes them. */
export interface ListParams {
  fields?: string[];
  filterByFormula?: string;
  /** Total across all pages. */
  maxRecords?: number;
  /** Records per page, at most 100 (Airtable's default). */
  pageSize?: number;
  sort?: { field: string; direction?: 'asc' | 'desc' }[];
  view?: string;
  cellFormat?: 'json' | 'string';
  /** Required with `cellFormat: 'string'`. */
  timeZone?: string;
  userLocale?: string;
  returnFieldsByFieldId?: boolean;
  recordMetadata?: 'commentCount'[];
}

/** Options of a single-record read. */
export type GetRecordParams = Pick<
  ListParams,
  'cellFormat' | 'timeZone' | 'userLocale' | 'returnFieldsByFieldId'
>;

/** `GET /v0/meta/whoami`. */
export interface WhoAmI {
  id: string;
  email?: string;
  scopes?: string[];
}

/** One entry of `GET /v0/meta/bases`. */
export interface BaseSummary {
  id: string;
  name: string;
  permissionLevel: 'none' | 'read' | 'comment' | 'edit' | 'create';
}

/** A field definition to create (`options` as in Airtable's field model). */
export interface FieldDefinition {
  name: string;
  type: string;
  description?: string;
  options?: Record<string, unknown>;
}

export interface FieldSchema extends FieldDefinition {
  id: string;
}

export interface ViewSchema {
  id: string;
  name: string;
  type: string;
  visibleFieldIds?: string[];
}

export interface TableSchema {
  id: string;
  name: string;
  description?: string;
  primaryFieldId: string;
  fields: FieldSchema[];
  views: ViewSchema[];
}

/** `GET /v0/meta/bases/{baseId}/tables`. */
export interface BaseSchema {
  tables: TableSchema[];
}

export interface NewTable {
  name: string;
  description?: string;
  /** At least one; the first becomes the primary field. */
  fields: FieldDefinition[];
}

/** A table or field change: at least one of the two. */
export interface SchemaChange {
  name?: string;
  description?: string;
}

/** A record comment, as Airtable returns it. */
export interface RecordComment {
  id: string;
  author: { id: string; email?: string; name?: string };
  text: string;
  createdTime: string;
  lastUpdatedTime: string | null;
  parentCommentId?: string;
  mentioned?: Record<string, { type: string; id: string; displayName?: string; email?: string }>;
}
