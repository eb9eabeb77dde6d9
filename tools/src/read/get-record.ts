import { isGatewayError } from '@airsuite/airtable-gateway';
import { z } from 'zod';
import { callAirtable } from '../airtable/call-airtable.ts';
import { friendlyRecords } from '../airtable/friendly-values.ts';
import { loadTable, resolveField } from '../airtable/schema.ts';
import { defineTool } from '../core/define-tool.ts';
import { ToolError } from '../core/tool-error.ts';
import { fieldsInput } from './list-records.ts';
import { baseIdInput, readAnnotations, recordIdInput, recordOutput, tableInput } from './shared.ts';

const RECORD_ID = /^rec[A-Za-z0-9]{14}$/;

export const getRecordTool = defineTool({
  name: 'get_record',
  title: 'Get record',
  description: 'One record by id; values as in list_records.',
  inputSchema: z.object({
    base_id: baseIdInput,
    table: tableInput,
    record_id: recordIdInput.describe('rec…'),
    fields: fieldsInput,
  }),
  outputSchema: z.object({ table: z.string(), record: recordOutput }),
  annotations: readAnnotations('Get record'),
  writes: false,
  async handler(input, ctx) {
    const { schema, table } = await loadTable(ctx, input.base_id, input.table);
    const fields = input.fields?.map((f) => resolveField(table, f).name);
    const missing = () =>
      new ToolError(
        'TOOL_INVALID_INPUT',
        `Table "${table.name}" has no record "${input.record_id}". Record ids look like rec + 14 letters/digits; find them with list_records or search_records.`,
        { recordId: input.record_id },
      );
    if (!RECORD_ID.test(input.record_id)) throw missing();
    const record = await callAirtable(async () => {
      try {
        return await ctx.airtable.getRecord(
          input.base_id,
          table.id,
          input.record_id,
          {},
          { signal: ctx.signal },
        );
      } catch (error) {
        if (isGatewayError(error) && error.upstreamStatus === 404) throw missing();
        throw error;
      }
    });
    if (fields) {
      const keep = new Set(fields);
      record.fields = Object.fromEntries(Object.entries(record.fields).filter(([k]) => keep.has(k)));
    }
    const [friendly] = await friendlyRecords(ctx, input.base_id, schema, table, [record]);
    return { table: table.name, record: friendly ?? { id: record.id, fields: {} } };
  },
  render: (out) => `${out.table} ${out.record.id} ${JSON.stringify(out.record.fields)}`,
});
