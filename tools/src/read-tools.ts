import type { ToolDefinition } from './core/define-tool.ts';

/** Tools that only read: always listed. */
export const readTools: readonly ToolDefinition[] = [];
