import type { ToolDefinition } from './core/define-tool.ts';

/** Tools that change Airtable: hidden in read-only deployments. */
export const writeTools: readonly ToolDefinition[] = [];
