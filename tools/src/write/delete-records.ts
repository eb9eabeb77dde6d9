import { z } from 'zod';
import { assertWritable } from '../airtable/access.ts';
import { callAirtable } from '../airtable/call-airtable.ts';
import { loadTable, primaryField } from '../airtable/schema.ts';
import { defineTool } from '../core/define-tool.ts';
import { baseIdInput, recordIdInput, tableInput } from '../read/shared.ts';
import { progressTo, recordResultsOutput, reportBatches } from './batch-report.ts';
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
    const result = await callAirtable(
      () =>
        ctx.airtable.deleteMany(input.base_id, table.id, input.record_ids, {
          signal: ctx.signal,
          onProgress: progressTo(ctx, 'Deleted'),
        }),
      { baseId: input.base_id },
    );
    return { ...reportBatches(result, 'deleted'), dry_run: false, deleted: result.written, total };
  },
});
