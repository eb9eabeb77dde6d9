import { readerFor } from '../context.ts';
import { errors } from '../http/errors.ts';
import type { RouteResponse, Router } from '../http/router.ts';
import { type BaseData, tableRecords } from '../model/store.ts';
import type { RecordData, TableDef } from '../model/types.ts';
import { parseBool, parseListParams } from '../records/list-params.ts';
import { listRecords, stringFormatFor } from '../records/list-records.ts';
import { serializeRecord } from '../records/serialize.ts';
import {
  createRecords,
  deleteRecords,
  MAX_RECORDS_PER_REQUEST,
  updateRecords,
  upsertRecords,
} from '../records/write-records.ts';
import { bodyObject, resolve, type V0Extra, type V0Request } from './v0-request.ts';

function render(
  req: V0Request,
  target: { base: BaseData; table: TableDef },
  records: RecordData[],
  byFieldId: boolean,
) {
  const reader = readerFor(req.extra.ctx, target.base, target.table);
  return records.map((r) => serializeRecord(reader, r, { byFieldId }));
}

function list(req: V0Request, input: Record<string, unknown>, strict: boolean): RouteResponse {
  const { base, table } = resolve(req, 'data.records:read');
  const params = parseListParams(input, req.query, strict);
  return { status: 200, body: listRecords(req.extra.ctx, base, table, params) };
}

function getRecord(req: V0Request): RouteResponse {
  const { base, table } = resolve(req, 'data.records:read');
  const record = tableRecords(base, table.id).get(req.params.recordId as string);
  if (!record) throw errors.recordNotFound();
  const byFieldId = parseBool(req.query.returnFieldsByFieldId, 'returnFieldsByFieldId');
  const params = parseListParams({ cellFormat: req.query.cellFormat }, req.query, false);
  const reader = readerFor(req.extra.ctx, base, table);
  const stringFormat = stringFormatFor(params);
  return { status: 200, body: serializeRecord(reader, record, { byFieldId, stringFormat }) };
}

function batch(body: Record<string, unknown>, verb: string): unknown[] {
  const records = body.records;
  if (!Array.isArray(records) || records.length === 0) throw errors.invalidRecords();
  if (records.length > MAX_RECORDS_PER_REQUEST) throw errors.tooManyRecords(verb, records.length);
  return records;
}

function create(req: V0Request): RouteResponse {
  const { base, table } = resolve(req, 'data.records:write');
  const body = bodyObject(req.body);
  const typecast = parseBool(body.typecast, 'typecast');
  const byFieldId = parseBool(body.returnFieldsByFieldId, 'returnFieldsByFieldId');
  if (body.records === undefined) {
    if (body.fields === undefined) throw errors.missingFields();
    const [record] = createRecords(req.extra.ctx, base, table, [body], typecast);
    return { status: 200, body: render(req, { base, table }, [record as RecordData], byFieldId)[0] };
  }
  const created = createRecords(req.extra.ctx, base, table, batch(body, 'created'), typecast);
  return { status: 200, body: { records: render(req, { base, table }, created, byFieldId) } };
}

function updateInputs(records: unknown[], allowMissingId: boolean): { id?: string; fields: unknown }[] {
  const seen = new Set<string>();
  return records.map((r) => {
    if (typeof r !== 'object' || r === null) throw errors.invalidRecords();
    const { id, fields } = r as Record<string, unknown>;
    if (fields === undefined) throw errors.missingFields();
    if (id === undefined && allowMissingId) return { fields };
    if (typeof id !== 'string') throw errors.invalidRecords();
    // Airtable refuses a batch that names one record twice (422 INVALID_RECORDS).
    if (seen.has(id))
      throw errors.invalidRecords('You cannot update the same record multiple times in a single request.');
    seen.add(id);
    return { id, fields };
  });
}

function update(req: V0Request, replace: boolean): RouteResponse {
  const { base, table } = resolve(req, 'data.records:write');
  const body = bodyObject(req.body);
  const options = { typecast: parseBool(body.typecast, 'typecast'), replace };
  const byFieldId = parseBool(body.returnFieldsByFieldId, 'returnFieldsByFieldId');
  const recordId = req.params.recordId;
  if (recordId !== undefined) {
    // A record named in the path is looked up like GET's, so a missing one is a 404.
    if (!tableRecords(base, table.id).has(recordId)) throw errors.recordNotFound();
    if (body.fields === undefined) throw errors.missingFields();
    const [record] = updateRecords(
      req.extra.ctx,
      base,
      table,
      [{ id: recordId, fields: body.fields }],
      options,
    );
    return { status: 200, body: render(req, { base, table }, [record as RecordData], byFieldId)[0] };
  }
  const records = batch(body, 'updated');
  if (body.performUpsert !== undefined) {
    const upsert = bodyObject(body.performUpsert);
    const inputs = updateInputs(records, true);
    const result = upsertRecords(req.extra.ctx, base, table, inputs, upsert.fieldsToMergeOn, options);
    return {
      status: 200,
      body: {
        records: render(req, { base, table }, result.records, byFieldId),
        createdRecords: result.createdRecords,
        updatedRecords: result.updatedRecords,
      },
    };
  }
  const inputs = updateInputs(records, false) as { id: string; fields: unknown }[];
  const updated = updateRecords(req.extra.ctx, base, table, inputs, options);
  return { status: 200, body: { records: render(req, { base, table }, updated, byFieldId) } };
}

function remove(req: V0Request): RouteResponse {
  const { base, table } = resolve(req, 'data.records:write');
  const recordId = req.params.recordId;
  if (recordId !== undefined) {
    deleteRecords(req.extra.ctx, base, table, [recordId]);
    return { status: 200, body: { deleted: true, id: recordId } };
  }
  const raw = req.query.records;
  const ids = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  if (ids.length === 0 || !ids.every((id) => typeof id === 'string')) throw errors.invalidRecords();
  if (ids.length > MAX_RECORDS_PER_REQUEST) throw errors.tooManyRecords('deleted', ids.length);
  const deleted = deleteRecords(req.extra.ctx, base, table, ids as string[]);
  return { status: 200, body: { records: deleted.map((id) => ({ deleted: true, id })) } };
}

export function registerRecordRoutes(router: Router<V0Extra>): void {
  router
    .on('GET', '/v0/:baseId/:table', (req) => list(req, req.query, false))
    .on('POST', '/v0/:baseId/:table/listRecords', (req) => {
      if (
        req.body !== undefined &&
        (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body))
      ) {
        throw errors.invalidRequest();
      }
      return list(req, bodyObject(req.body), true);
    })
    .on('GET', '/v0/:baseId/:table/:recordId', getRecord)
    .on('POST', '/v0/:baseId/:table', create)
    .on('PATCH', '/v0/:baseId/:table', (req) => update(req, false))
    .on('PUT', '/v0/:baseId/:table', (req) => update(req, true))
    .on('PATCH', '/v0/:baseId/:table/:recordId', (req) => update(req, false))
    .on('PUT', '/v0/:baseId/:table/:recordId', (req) => update(req, true))
    .on('DELETE', '/v0/:baseId/:table', remove)
    .on('DELETE', '/v0/:baseId/:table/:recordId', remove);
}
