import { z } from 'zod';
import { assertWritable } from '../airtable/access.ts';
import { callAirtable } from '../airtable/call-airtable.ts';
import { loadTable, primaryField } from '../airtable/schema.ts';
import { defineTool } from '../core/define-tool.ts';
import { runChunkedWrite } from '../operations/chunked-write.ts';
import { idempotencyKeyInput, operationOutput, outputOf } from '../operations/operation-fields.ts';
import { baseIdInput, recordIdInput, tableInput } from '../read/shared.ts';
import { recordResultsOutput, reportBatches } from './batch-report.ts';
import { MAX_RECORDS_PER_CALL } from './create-records.ts';
import { friendlyCell } from './record-fields.ts';
import { recordsById } from './record-lookup.ts';

export const deleteRecordsTool = defineTool({
  name: 'delete_records',
  title: 'Delete records',
  description: 'Delete 1–1000 records by id (irreversible). dry_run lists what would go and ids not found.',
  inputSchema: z.object({
    base_id: baseIdInput,
    table: tableInput,
    record_ids: z.array(recordIdInput).min(1).max(MAX_RECORDS_PER_CALL),
    dry_run: z.boolean().optional(),
    idempotency_key: idempotencyKeyInput,
  }),
  outputSchema: z.object({
    ok: z.boolean(),
    dry_run: z.boolean(),
    deleted: z.number(),
    total: z.number(),
    summary: z.string(),
    records: recordResultsOutput,
    would_delete: z.array(z.unknown()).optional(),
    not_found: z.array(z.string()).optional(),
    ...operationOutput,
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  writes: true,
  async handler(input, ctx) {
    assertWritable(ctx.policy);
    const { table } = await loadTable(ctx, input.base_id, input.table);
    const total = input.record_ids.length;
    if (input.dry_run) {
      const primary = primaryField(table).name;
      const found = await recordsById(ctx, input.base_id, table.id, input.record_ids, [primary]);
      const wouldDelete = input.record_ids.flatMap((id) => {
        const r = found.get(id);
        return r ? [{ id, primary: friendlyCell(r.fields[primary]) ?? null }] : [];
      });
      const notFound = input.record_ids.filter((id) => !found.has(id));
      return {
        ok: notFound.length === 0,
        dry_run: true,
        deleted: 0,
        total,
        summary: `Would delete ${wouldDelete.length} records from "${table.name}"${notFound.length ? `; ${notFound.length} ids were not found` : ''}. Nothing was deleted.`,
        records: [],
        would_delete: wouldDelete,
        not_found: notFound,
      };
    }
    const run = await runChunkedWrite({
      ctx,
      tool: 'delete_records',
      kind: 'delete',
      baseId: input.base_id,
      tableId: table.id,
      items: input.record_ids,
      args: input,
      idempotencyKey: input.idempotency_key,
      argumentsSummary: { base_id: input.base_id, table: table.name, records: total },
      send: (chunk) =>
        callAirtable(() => ctx.airtable.deleteMany(input.base_id, table.id, chunk, { signal: ctx.signal }), {
          baseId: input.base_id,
        }),
      progressVerb: 'Deleted',
    });
    return outputOf(run, ({ result }) => ({
      ...reportBatches(result, 'deleted', input.idempotency_key),
      dry_run: false,
      deleted: result.written,
      total,
    }));
  },
});
