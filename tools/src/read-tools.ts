import type { ToolDefinition } from './core/define-tool.ts';
import { aggregateRecordsTool } from './read/aggregate-records.ts';
import { countRecordsTool } from './read/count-records.ts';
import { describeBaseTool } from './read/describe-base.ts';
import { describeTableTool } from './read/describe-table.ts';
import { getRecordTool } from './read/get-record.ts';
import { listBasesTool } from './read/list-bases.ts';
import { listRecordsTool } from './read/list-records.ts';
import { searchRecordsTool } from './read/search-records.ts';

/** Tools that only read: always listed. */
export const readTools: readonly ToolDefinition[] = [
  listBasesTool,
  describeBaseTool,
  describeTableTool,
  listRecordsTool,
  searchRecordsTool,
  getRecordTool,
  countRecordsTool,
  aggregateRecordsTool,
];
