/** Field types the emulator understands. Unknown types in a fixture are rejected at load. */
export const FIELD_TYPES = [
  'singleLineText',
  'multilineText',
  'richText',
  'email',
  'url',
  'phoneNumber',
  'number',
  'percent',
  'currency',
  'rating',
  'duration',
  'checkbox',
  'singleSelect',
  'multipleSelects',
  'date',
  'dateTime',
  'multipleRecordLinks',
  'multipleAttachments',
  'createdTime',
  'lastModifiedTime',
  'autoNumber',
  'formula',
] as const;

export type FieldType = (typeof FIELD_TYPES)[number];

/** Types whose values Airtable computes; writes to them are rejected. */
export const COMPUTED_FIELD_TYPES: ReadonlySet<FieldType> = new Set([
  'createdTime',
  'lastModifiedTime',
  'autoNumber',
  'formula',
]);

export interface SelectChoice {
  id: string;
  name: string;
  color?: string;
}

export interface FieldDef {
  id: string;
  name: string;
  type: FieldType;
  description?: string;
  /** Airtable's `options` object for the type, exactly as the schema API returns it. */
  options?: Record<string, unknown>;
}

export type ViewType = 'grid' | 'form' | 'calendar' | 'gallery' | 'kanban' | 'timeline' | 'block';

export interface ViewSort {
  fieldId: string;
  direction: 'asc' | 'desc';
}

export interface ViewDef {
  id: string;
  name: string;
  type: ViewType;
  /** A formula that selects the view's records (Airtable's view filters, expressed as a formula). */
  filterByFormula?: string;
  sorts?: ViewSort[];
  /** Grid views only: the fields shown, in order. Absent means all. */
  visibleFieldIds?: string[];
}

export interface TableDef {
  id: string;
  name: string;
  description?: string;
  primaryFieldId: string;
  fields: FieldDef[];
  views: ViewDef[];
}

export interface Attachment {
  id: string;
  url: string;
  filename: string;
  size?: number;
  type?: string;
  width?: number;
  height?: number;
}

/**
 * A stored cell value in Airtable's JSON cell format (select names, record ids for links,
 * ISO strings for dates). Computed fields are never stored, except autoNumber, which is
 * assigned once at creation.
 */
export type CellValue = string | number | boolean | string[] | Attachment[];

export interface RecordData {
  id: string;
  createdTime: string;
  /** Last time any cell changed, ISO. */
  lastModifiedTime: string;
  /** Cells keyed by field id; empty values are never stored. */
  cells: Record<string, CellValue>;
  /** Per-field last change, ISO, for lastModifiedTime fields that watch specific fields. */
  cellModifiedTime: Record<string, string>;
}

export interface CommentAuthor {
  id: string;
  email: string;
  name?: string;
}

export interface CommentData {
  id: string;
  recordId: string;
  author: CommentAuthor;
  text: string;
  createdTime: string;
  lastUpdatedTime: string | null;
  parentCommentId?: string;
}

export type PermissionLevel = 'none' | 'read' | 'comment' | 'edit' | 'create';
