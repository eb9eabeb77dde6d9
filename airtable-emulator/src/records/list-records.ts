import type { EmulatorContext } from '../context.ts';
import { readerFor } from '../context.ts';
import type { RecordReader } from '../fields/record-reader.ts';
import { createStringFormat, isValidStringFormat, type StringFormat } from '../fields/string-format.ts';
import {
  type CompiledFormula,
  compileFormula,
  FormulaSyntaxError,
  FormulaUnknownFieldError,
  isTruthy,
} from '../formula/index.ts';
import { errors } from '../http/errors.ts';
import { type BaseData, findField, findView, tableRecords } from '../model/store.ts';
import type { RecordData, TableDef } from '../model/types.ts';
import type { ListParams } from './list-params.ts';
import { type ApiRecord, serializeRecord } from './serialize.ts';
import { type ResolvedSort, sortRecords } from './sort.ts';

export interface ListResult {
  records: ApiRecord[];
  offset?: string;
}

/** Compiles a filter formula against a table, turning compile failures into Airtable's 422. */
export function compileFilter(table: TableDef, text: string): CompiledFormula {
  try {
    return compileFormula(text, table.fields);
  } catch (error) {
    if (error instanceof FormulaUnknownFieldError) throw errors.invalidFormula(error.message);
    if (error instanceof FormulaSyntaxError) throw errors.invalidFormula(`Invalid formula. ${error.message}`);
    throw error;
  }
}

function matching(reader: RecordReader, records: RecordData[], formula: CompiledFormula | undefined) {
  return formula ? records.filter((r) => isTruthy(reader.evaluate(formula, r))) : records;
}

/** Runs the query once and freezes the ordered ids, so later pages are stable. */
function selectIds(reader: RecordReader, base: BaseData, table: TableDef, params: ListParams): string[] {
  const view = params.view === undefined ? undefined : findView(table, params.view);
  let records = [...tableRecords(base, table.id).values()];
  if (view?.filterByFormula) records = matching(reader, records, compileFilter(table, view.filterByFormula));
  if (params.filterByFormula !== undefined && params.filterByFormula.trim() !== '') {
    records = matching(reader, records, compileFilter(table, params.filterByFormula));
  }
  const sorts: ResolvedSort[] =
    params.sort.length > 0
      ? params.sort.map((s) => ({ field: findField(table, s.field), direction: s.direction }))
      : (view?.sorts ?? []).map((s) => ({ field: findField(table, s.fieldId), direction: s.direction }));
  records = sortRecords(reader, records, sorts);
  const ids = records.map((r) => r.id);
  return params.maxRecords === undefined ? ids : ids.slice(0, params.maxRecords);
}

/** The `cellFormat=string` settings of a request, validated; undefined for JSON cells. */
export function stringFormatFor(params: ListParams): StringFormat | undefined {
  if (params.cellFormat !== 'string') return undefined;
  const format = createStringFormat(params.timeZone as string, params.userLocale as string);
  if (!isValidStringFormat(format)) {
    throw errors.invalidRequest('Invalid "timeZone" or "userLocale" for cellFormat "string"');
  }
  return format;
}

export function listRecords(
  ctx: EmulatorContext,
  base: BaseData,
  table: TableDef,
  params: ListParams,
): ListResult {
  const reader = readerFor(ctx, base, table);
  const fields = params.fields?.map((name) => findField(table, name));
  const stringFormat = stringFormatFor(params);
  for (const meta of params.recordMetadata) {
    if (meta !== 'commentCount')
      throw errors.invalidRequest(`Invalid recordMetadata ${JSON.stringify(meta)}`);
  }

  let ids: string[];
  let position: number;
  let iteratorId: string | undefined;
  if (params.offset !== undefined) {
    ({ ids, position, iteratorId } = ctx.iterators.resume(params.offset, table.id));
  } else {
    ids = selectIds(reader, base, table, params);
    position = 0;
  }

  const records = tableRecords(base, table.id);
  const page: RecordData[] = [];
  while (position < ids.length && page.length < params.pageSize) {
    const record = records.get(ids[position] as string);
    position++;
    if (record) page.push(record);
  }
  while (position < ids.length && !records.has(ids[position] as string)) position++;

  const commentCount = params.recordMetadata.includes('commentCount')
    ? (id: string) => base.comments.get(id)?.length ?? 0
    : undefined;
  const result: ListResult = {
    records: page.map((r) =>
      serializeRecord(reader, r, {
        fields,
        byFieldId: params.returnFieldsByFieldId,
        stringFormat,
        commentCount,
      }),
    ),
  };
  if (position < ids.length) {
    result.offset =
      iteratorId === undefined
        ? ctx.iterators.start(table.id, ids, position)
        : ctx.iterators.offsetFor(iteratorId, ids, position);
  }
  return result;
}
