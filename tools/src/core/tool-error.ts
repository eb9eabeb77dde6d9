import { codedError } from '@airsuite/airtable-gateway/coded-error';

/**
 * Failures a model can act on. A tool throws one; every face (MCP, orchestrator, REST)
 * turns it into an error result whose message tells the model how to fix its call.
 * Codes are stable and never reused.
 */
export const TOOL_ERROR_CODES = [
  'TOOL_INVALID_INPUT',
  'TOOL_UNKNOWN_BASE',
  'TOOL_UNKNOWN_TABLE',
  'TOOL_UNKNOWN_FIELD',
  'TOOL_INVALID_FILTER',
  'TOOL_INVALID_CURSOR',
  'TOOL_NOT_ALLOWED',
  'TOOL_READ_ONLY',
  'TOOL_RATE_LIMITED',
  'TOOL_AIRTABLE_ERROR',
  'TOOL_WRITE_PARTIAL',
  'TOOL_UNAVAILABLE',
  'TOOL_CANCELLED',
  'TOOL_INTERNAL_ERROR',
  'TOOL_IDEMPOTENCY_KEY_REUSED',
  'TOOL_OPERATION_IN_PROGRESS',
  'TOOL_OPERATION_NOT_FOUND',
  // A plugin's function failed: it reported an error, timed out, crashed or broke its limits.
  'TOOL_PLUGIN_FAILED',
] as const;

export type ToolErrorCode = (typeof TOOL_ERROR_CODES)[number];

/** Extra facts for programs (e.g. `{ validFields: [...] }`); never secrets. */
export type ToolErrorDetails = Record<string, unknown>;

export class ToolError extends codedError<ToolErrorCode>('ToolError') {
  constructor(
    code: ToolErrorCode,
    /** Written for the model: what was wrong and what to send instead. */
    message: string,
    readonly details?: ToolErrorDetails,
  ) {
    super(code, message);
  }
}

/** A ToolError, also from another copy of this package. */
export function isToolError(value: unknown): value is ToolError {
  return ToolError.isInstance(value);
}
