import { z } from 'zod';
import { assertWritable } from '../airtable/access.ts';
import { callAirtable } from '../airtable/call-airtable.ts';
import { loadTable } from '../airtable/schema.ts';
import { defineTool } from '../core/define-tool.ts';
import { runChunkedWrite } from '../operations/chunked-write.ts';
import { idempotencyKeyInput, operationOutput, outputOf } from '../operations/operation-fields.ts';
import { baseIdInput, tableInput } from '../read/shared.ts';
import { recordResultsOutput, reportBatches } from './batch-report.ts';
import { toAirtableFields } from './record-fields.ts';

export const MAX_RECORDS_PER_CALL = 1000;

export const fieldsSchema = z.record(z.string(), z.unknown());

export const createRecordsTool = defineTool({
  name: 'create_records',
  title: 'Create records',
  description:
    'Create records. Values: select names, linked record ids, ISO dates, attachments [{name, url}]; unknown fields fail before writing. dry_run previews.',
  inputSchema: z.object({
    base_id: baseIdInput,
    table: tableInput,
    records: z
      .array(z.object({ fields: fieldsSchema }))
      .min(1)
      .max(MAX_RECORDS_PER_CALL)
      .describe('1–1000 of {fields}'),
    typecast: z.boolean().optional().describe('Convert strings, add select options'),
    dry_run: z.boolean().optional(),
    idempotency_key: idempotencyKeyInput,
  }),
  outputSchema: z.object({
    ok: z.boolean(),
    dry_run: z.boolean(),
    created: z.number(),
    total: z.number(),
    summary: z.string(),
    records: recordResultsOutput,
    would_create: z.array(z.unknown()).optional(),
    ...operationOutput,
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  writes: true,
  async handler(input, ctx) {
    assertWritable(ctx.policy);
    const { table } = await loadTable(ctx, input.base_id, input.table);
    const typecast = input.typecast ?? false;
    const records = input.records.map((r, i) => ({
      fields: toAirtableFields(table, r.fields, `records[${i}]`, typecast),
    }));
    const total = records.length;
    if (input.dry_run) {
      return {
        ok: true,
        dry_run: true,
        created: 0,
        total,
        summary: `Would create ${total} records in "${table.name}". Nothing was written.`,
        records: [],
        would_create: records.map((r) => r.fields),
      };
    }
    const run = await runChunkedWrite({
      ctx,
      tool: 'create_records',
      kind: 'create',
      baseId: input.base_id,
      tableId: table.id,
      items: records,
      args: input,
      idempotencyKey: input.idempotency_key,
      argumentsSummary: { base_id: input.base_id, table: table.name, records: total },
      send: (chunk) =>
        callAirtable(
          () => ctx.airtable.createMany(input.base_id, table.id, chunk, { typecast, signal: ctx.signal }),
          {
            baseId: input.base_id,
          },
        ),
      progressVerb: 'Created',
      writtenFields: (record) => Object.keys(record.fields),
    });
    return outputOf(run, ({ result }) => ({
      ...reportBatches(result, 'created', input.idempotency_key),
      dry_run: false,
      created: result.written,
      total,
    }));
  },
});
