import { codedError } from '@airsuite/airtable-gateway/coded-error';

/** Stable codes of the MCP server's own configuration failures (never tool failures). */
export const MCP_CONFIG_ERROR_CODES = [
  'MCP_MISSING_AIRTABLE_TOKEN',
  'MCP_MISSING_AUTH_TOKEN',
  'MCP_INVALID_SETTING',
] as const;

export type McpConfigErrorCode = (typeof MCP_CONFIG_ERROR_CODES)[number];

/** A deployment setting is missing or unusable; the message says which and how to fix it. */
export class McpConfigError extends codedError<McpConfigErrorCode>('McpConfigError') {
  constructor(code: McpConfigErrorCode, message: string) {
    super(code, message);
  }
}
