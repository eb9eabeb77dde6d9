export { isBaseAllowed, isTableAllowed } from './airtable/access.ts';
export { createCatalogue } from './catalogue.ts';
export { defineTool, type ToolAnnotations, type ToolDefinition } from './core/define-tool.ts';
export { OPEN_POLICY, type SafetyPolicy } from './core/policy.ts';
export type { Caller, ProgressUpdate, ToolContext } from './core/tool-context.ts';
export { isToolError, TOOL_ERROR_CODES, ToolError, type ToolErrorCode } from './core/tool-error.ts';
