import type { AirtableRecord, ListParams } from '@airsuite/airtable-gateway';
import { callAirtable } from '../airtable/call-airtable.ts';
import type { ToolContext } from '../core/tool-context.ts';
import { ToolError } from '../core/tool-error.ts';

/**
 * Every matching record, all pages, with only the fields asked for: the basis of exact counts
 * and aggregates. Reports progress per page and stops when the call is cancelled.
 */
export async function scanAll(
  ctx: ToolContext,
  baseId: string,
  tableId: string,
  params: ListParams,
  onPage: (records: AirtableRecord[]) => void,
): Promise<number> {
  let scanned = 0;
  await callAirtable(
    async () => {
      for await (const page of ctx.airtable.listAll(
        baseId,
        tableId,
        { ...params, pageSize: 100 },
        { signal: ctx.signal },
      )) {
        if (ctx.signal.aborted) throw new ToolError('TOOL_CANCELLED', 'The call was cancelled.');
        onPage(page);
        scanned += page.length;
        ctx.progress({ progress: scanned, message: `${scanned} records scanned` });
      }
    },
    { baseId },
  );
  return scanned;
}
