import {
  type AirtableGateway,
  createAirtableGateway,
  createGatewayEngine,
  DEFAULT_UPSTREAM_URL,
  type GatewayEngine,
} from '@airsuite/airtable-gateway';
import { createMemoryOperationStore, type OperationStore } from '@airsuite/tools';
import { McpConfigError } from './errors.ts';
import type { Env } from './policy-from-env.ts';

/** The in-process gateway and the one Airtable identity of this deployment. */
export interface Upstream {
  engine: GatewayEngine;
  airtable: AirtableGateway;
  /** This identity's write operations, kept in memory: no database serves a standalone server. */
  operations: OperationStore;
  close(): Promise<void>;
}

/** `AIRTABLE_TOKEN` (required) and `AIRTABLE_API_URL` (default Airtable's; the emulator's for local use). */
export async function createUpstreamFromEnv(env: Env): Promise<Upstream> {
  const token = env.AIRTABLE_TOKEN?.trim();
  if (!token) {
    throw new McpConfigError(
      'MCP_MISSING_AIRTABLE_TOKEN',
      'AIRTABLE_TOKEN is not set: give the MCP server an Airtable personal access token (or an emulator token) in AIRTABLE_TOKEN',
    );
  }
  const upstreamUrl = env.AIRTABLE_API_URL?.trim() || DEFAULT_UPSTREAM_URL;
  if (!/^https?:\/\/[^\s]+$/.test(upstreamUrl)) {
    throw new McpConfigError(
      'MCP_INVALID_SETTING',
      `AIRTABLE_API_URL must be an http(s) URL, got ${JSON.stringify(upstreamUrl)}`,
    );
  }
  const engine = await createGatewayEngine({ upstreamUrl: upstreamUrl.replace(/\/+$/, '') });
  const airtable = createAirtableGateway({ engine, token });
  return {
    engine,
    airtable,
    operations: createMemoryOperationStore(),
    async close() {
      await airtable.close();
      await engine.close();
    },
  };
}
