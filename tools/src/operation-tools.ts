import type { ToolDefinition } from './core/define-tool.ts';
import { getOperationTool } from './operations/get-operation.ts';
import { listOperationsTool } from './operations/list-operations.ts';

/** Read what multi-record writes did: listed wherever those writes are. */
export const operationTools: readonly ToolDefinition[] = [getOperationTool, listOperationsTool];
