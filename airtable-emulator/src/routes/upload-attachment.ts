import { base64Size, MAX_UPLOAD_BYTES } from '@airsuite/airtable-gateway/wire';
import { readerFor } from '../context.ts';
import { previousAttachments } from '../fields/write-context.ts';
import { errors } from '../http/errors.ts';
import type { RouteResponse, Router } from '../http/router.ts';
import { type BaseData, findField, tableRecords } from '../model/store.ts';
import type { Attachment, RecordData, TableDef } from '../model/types.ts';
import { applyChanges } from '../records/cells.ts';
import { serializeRecord } from '../records/serialize.ts';
import { attachmentUrl } from './attachment-urls.ts';
import { baseFor, bodyObject, type V0Extra, type V0Request } from './v0-request.ts';

/**
 * The largest body the upload route reads: the base64 of a file a little over the limit, plus
 * the JSON around it, so a file just too big is told its size rather than cut off by the
 * server-wide body limit (both are 413 `REQUEST_TOO_LARGE`).
 */
export const UPLOAD_MAX_BODY_BYTES = Math.ceil((MAX_UPLOAD_BYTES * 1.1) / 3) * 4 + 64 * 1024;

/** The upload endpoint names no table: the record is looked up in every table of the base. */
function findRecord(base: BaseData, recordId: string): { table: TableDef; record: RecordData } {
  for (const table of base.tables) {
    const record = tableRecords(base, table.id).get(recordId);
    if (record) return { table, record };
  }
  throw errors.recordNotFound();
}

function requiredString(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '')
    throw errors.invalidRequest(`"${name}" must be a non-empty string`);
  return value;
}

/**
 * Airtable's upload-attachment endpoint (content.airtable.com): appends one base64 file of at
 * most 5 MB to a record's attachment field and answers with the record holding only that field,
 * keyed by field id. The bytes are kept in `ctx.files` and served back at the attachment's URL.
 */
async function upload(req: V0Request): Promise<RouteResponse> {
  const { ctx, origin } = req.extra;
  const base = baseFor(req, 'data.records:write');
  const recordId = req.params.recordId as string;
  const { table } = findRecord(base, recordId);
  const field = findField(table, req.params.field as string);
  if (field.type !== 'multipleAttachments') throw errors.notAttachmentField(field.name);
  const body = bodyObject(req.body);
  const contentType = requiredString(body, 'contentType');
  const filename = requiredString(body, 'filename');
  const file = body.file;
  const size = typeof file === 'string' ? base64Size(file) : undefined;
  if (typeof file !== 'string' || size === undefined)
    throw errors.invalidRequest('"file" must be the file\'s bytes as standard base64 (no data: prefix)');
  if (size > MAX_UPLOAD_BYTES) throw errors.uploadTooLarge(size, MAX_UPLOAD_BYTES);

  const id = ctx.ids('att');
  await ctx.files.put(id, { type: contentType, bytes: Buffer.from(file, 'base64') });
  // Looked up again: the record may have been deleted, or its cell changed, while the file was stored.
  const { record } = findRecord(base, recordId);
  const attachment: Attachment = {
    id,
    url: attachmentUrl(origin, id, filename),
    filename,
    size,
    type: contentType,
  };
  const cell = [...previousAttachments(record.cells[field.id]), attachment];
  applyChanges(ctx, base, table, record, new Map([[field.id, cell]]));
  ctx.store.touch();
  const reader = readerFor(ctx, base, table);
  return { status: 200, body: serializeRecord(reader, record, { fields: [field], byFieldId: true }) };
}

export function registerUploadRoutes(router: Router<V0Extra>): void {
  router.on('POST', '/v0/:baseId/:recordId/:field/uploadAttachment', upload, {
    maxBodyBytes: UPLOAD_MAX_BODY_BYTES,
  });
}
