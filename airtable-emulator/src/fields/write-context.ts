import type { IdGenerator } from '../model/ids.ts';
import type { BaseData } from '../model/store.ts';
import type { Attachment, CellValue, FieldDef } from '../model/types.ts';

/**
 * What validating one request's cell values needs. Side effects that `typecast` implies
 * (new select options, new linked records) are collected here and applied only once
 * every record of the request has validated, so a rejected request changes nothing.
 */
export interface WriteContext {
  base: BaseData;
  typecast: boolean;
  ids: IdGenerator;
  /** New select options per field id, in first-seen order. */
  pendingChoices: Map<string, string[]>;
  /** Records typecast will create in linked tables: table id → primary value → new record id. */
  pendingLinks: Map<string, Map<string, string>>;
}

export function createWriteContext(base: BaseData, typecast: boolean, ids: IdGenerator): WriteContext {
  return { base, typecast, ids, pendingChoices: new Map(), pendingLinks: new Map() };
}

/** A cell's previous value, for attachments that are kept by `{id}`. */
export type PreviousCell = CellValue | undefined;

export function previousAttachments(previous: PreviousCell): Attachment[] {
  return Array.isArray(previous) ? (previous as unknown[]).filter(isAttachment) : [];
}

function isAttachment(value: unknown): value is Attachment {
  return typeof value === 'object' && value !== null && 'id' in value && 'url' in value;
}

export interface SelectChoiceLike {
  id: string;
  name: string;
  color?: string;
}

export function selectChoices(field: FieldDef): SelectChoiceLike[] {
  const choices = field.options?.choices;
  return Array.isArray(choices) ? (choices as SelectChoiceLike[]) : [];
}
