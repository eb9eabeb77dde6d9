import type { AirtableRecord, Fields, TableSchema } from '@airsuite/airtable-gateway';
import { z } from 'zod';
import { assertWritable } from '../airtable/access.ts';
import { callAirtable } from '../airtable/call-airtable.ts';
import { loadTable, resolveField } from '../airtable/schema.ts';
import { defineTool } from '../core/define-tool.ts';
import type { ToolContext } from '../core/tool-context.ts';
import { ToolError } from '../core/tool-error.ts';
import { runChunkedWrite } from '../operations/chunked-write.ts';
import { idempotencyKeyInput, operationOutput, outputOf } from '../operations/operation-fields.ts';
import { baseIdInput, tableInput } from '../read/shared.ts';
import { recordResultsOutput, reportBatches } from './batch-report.ts';
import { fieldsSchema, MAX_RECORDS_PER_CALL } from './create-records.ts';
import { friendlyCell, sameCell, toAirtableFields } from './record-fields.ts';
import { recordsById } from './record-lookup.ts';

const changeSchema = z.object({ from: z.unknown(), to: z.unknown() });
const diffSchema = z.object({
  index: z.number(),
  id: z.string().optional(),
  action: z.enum(['update', 'create', 'not_found']),
  changes: z.record(z.string(), changeSchema).optional(),
});
type Diff = z.output<typeof diffSchema>;
interface Update {
  id?: string;
  fields: Fields;
}

function changesOf(current: Fields, next: Fields) {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [name, to] of Object.entries(next))
    if (!sameCell(current[name], to))
      changes[name] = { from: friendlyCell(current[name]) ?? null, to: friendlyCell(to) };
  return changes;
}

/** What the writes would do, record by record, read from the table as it is now. */
async function dryRun(
  ctx: ToolContext,
  baseId: string,
  table: TableSchema,
  updates: Update[],
  mergeOn: string[] | undefined,
): Promise<Diff[]> {
  const fields = [...new Set([...(mergeOn ?? []), ...updates.flatMap((u) => Object.keys(u.fields))])];
  const byId = await recordsById(
    ctx,
    baseId,
    table.id,
    updates.flatMap((u) => (u.id ? [u.id] : [])),
    fields,
  );
  const needsScan = mergeOn !== undefined && updates.some((u) => !u.id);
  const all: AirtableRecord[] = needsScan
    ? await callAirtable(
        () => ctx.airtable.listRecords(baseId, table.id, { fields }, { signal: ctx.signal }),
        {
          baseId,
        },
      )
    : [];
  return updates.map((u, index) => {
    const current = u.id
      ? byId.get(u.id)
      : all.find((r) => (mergeOn ?? []).every((f) => sameCell(r.fields[f], u.fields[f])));
    if (current)
      return { index, id: current.id, action: 'update', changes: changesOf(current.fields, u.fields) };
    if (u.id) return { index, id: u.id, action: 'not_found' };
    return { index, action: 'create', changes: changesOf({}, u.fields) };
  });
}

export const updateRecordsTool = defineTool({
  name: 'update_records',
  title: 'Update records',
  description:
    'Update records by id; unsent fields kept. Values as create_records. dry_run returns {from, to} diffs.',
  inputSchema: z.object({
    base_id: baseIdInput,
    table: tableInput,
    records: z
      .array(z.object({ id: z.string().optional(), fields: fieldsSchema }))
      .min(1)
      .max(MAX_RECORDS_PER_CALL)
      .describe('1–1000 of {id, fields}; no id with merge_on'),
    merge_on: z.array(z.string()).min(1).max(3).optional().describe('upsert: match on these fields'),
    typecast: z.boolean().optional().describe('Convert strings, add select options'),
    dry_run: z.boolean().optional(),
    idempotency_key: idempotencyKeyInput,
  }),
  outputSchema: z.object({
    ok: z.boolean(),
    dry_run: z.boolean(),
    updated: z.number(),
    created: z.number(),
    total: z.number(),
    summary: z.string(),
    records: recordResultsOutput,
    diff: z.array(z.record(z.string(), z.unknown())).optional(),
    ...operationOutput,
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  writes: true,
  async handler(input, ctx) {
    assertWritable(ctx.policy);
    const { table } = await loadTable(ctx, input.base_id, input.table);
    const typecast = input.typecast ?? false;
    const mergeOn = input.merge_on?.map((f) => resolveField(table, f).name);
    const updates: Update[] = input.records.map((r, i) => ({
      ...(r.id ? { id: r.id } : {}),
      fields: toAirtableFields(table, r.fields, `records[${i}]`, typecast),
    }));
    updates.forEach((u, i) => {
      if (u.id) return;
      if (!mergeOn)
        throw new ToolError(
          'TOOL_INVALID_INPUT',
          `records[${i}] has no id. Give each record its id, or pass merge_on to upsert.`,
        );
      const missing = mergeOn.filter((f) => !(f in u.fields));
      if (missing.length)
        throw new ToolError(
          'TOOL_INVALID_INPUT',
          `records[${i}] has no id and lacks merge field(s) ${missing.join(', ')}.`,
        );
    });
    const total = updates.length;
    if (input.dry_run) {
      const diff = await dryRun(ctx, input.base_id, table, updates, mergeOn);
      const count = (a: Diff['action']) => diff.filter((d) => d.action === a).length;
      const missing = count('not_found');
      return {
        ok: missing === 0,
        dry_run: true,
        updated: 0,
        created: 0,
        total,
        summary: `Would update ${count('update')} and create ${count('create')} records${missing ? `; ${missing} ids were not found` : ''}. Nothing was written.`,
        records: [],
        diff,
      };
    }
    const options = { typecast, signal: ctx.signal };
    const run = await runChunkedWrite({
      ctx,
      tool: 'update_records',
      kind: mergeOn ? 'upsert' : 'update',
      baseId: input.base_id,
      tableId: table.id,
      items: updates,
      args: input,
      idempotencyKey: input.idempotency_key,
      argumentsSummary: {
        base_id: input.base_id,
        table: table.name,
        records: total,
        ...(mergeOn ? { merge_on: mergeOn } : {}),
      },
      send: (chunk) =>
        callAirtable(
          () =>
            mergeOn
              ? ctx.airtable.upsertMany(input.base_id, table.id, chunk, mergeOn, options)
              : ctx.airtable.updateMany(input.base_id, table.id, chunk as Required<Update>[], options),
          { baseId: input.base_id },
        ),
      progressVerb: 'Wrote',
      writtenFields: (update) => Object.keys(update.fields),
    });
    return outputOf(run, ({ result }) => {
      const report = reportBatches(result, 'updated', input.idempotency_key);
      const created = report.records.filter((r) => r.status === 'created').length;
      return { ...report, dry_run: false, updated: result.written - created, created, total };
    });
  },
});
