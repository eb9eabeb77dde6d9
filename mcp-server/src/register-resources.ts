import type { SafetyPolicy } from '@airsuite/tools';
import { isBaseAllowed, isTableAllowed } from '@airsuite/tools';
import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { ContextFor } from './tool-context-factory.ts';

export const BASE_SCHEMA_TEMPLATE = 'airtable://bases/{baseId}/schema';

export function baseSchemaUri(baseId: string): string {
  return `airtable://bases/${encodeURIComponent(baseId)}/schema`;
}

/** Each reachable base's schema (tables, fields, views) as a listable resource template. */
export function registerResources(server: McpServer, policy: SafetyPolicy, contextFor: ContextFor): void {
  const template = new ResourceTemplate(BASE_SCHEMA_TEMPLATE, {
    list: async (extra) => {
      const { airtable, policy: callPolicy = policy } = await contextFor(extra);
      const bases = await airtable.listBases({ signal: extra.signal });
      return {
        resources: bases
          .filter((base) => isBaseAllowed(callPolicy, base.id))
          .map((base) => ({
            uri: baseSchemaUri(base.id),
            name: `${base.name} schema`,
            title: `Schema of ${base.name}`,
            description: `Tables, fields and views of the Airtable base "${base.name}" (${base.id}).`,
            mimeType: 'application/json',
          })),
      };
    },
  });
  server.registerResource(
    'base_schema',
    template,
    {
      title: 'Airtable base schema',
      description: 'Tables, fields (with types and options) and views of one Airtable base.',
      mimeType: 'application/json',
    },
    async (uri, variables, extra) => {
      const raw = variables.baseId;
      const baseId = decodeURIComponent(Array.isArray(raw) ? (raw[0] ?? '') : (raw ?? ''));
      if (!/^app[A-Za-z0-9]+$/.test(baseId) || !isBaseAllowed(policy, baseId)) {
        throw new McpError(ErrorCode.InvalidParams, `Unknown or unavailable base: ${uri.href}`);
      }
      const { airtable, policy: callPolicy = policy } = await contextFor(extra);
      if (!isBaseAllowed(callPolicy, baseId)) {
        throw new McpError(ErrorCode.InvalidParams, `Unknown or unavailable base: ${uri.href}`);
      }
      const schema = await airtable.getBaseSchema(baseId, { signal: extra.signal });
      const tables = schema.tables.filter((table) => isTableAllowed(callPolicy, baseId, table));
      return {
        contents: [
          { uri: uri.href, mimeType: 'application/json', text: JSON.stringify({ baseId, tables }, null, 2) },
        ],
      };
    },
  );
}
