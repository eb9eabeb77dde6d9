import { createEmulator, type RunningEmulator } from '@airsuite/airtable-emulator';
import { createAirtableGateway, createGatewayEngine } from '@airsuite/airtable-gateway';
import { createCatalogue, createMemoryOperationStore, OPEN_POLICY } from '@airsuite/tools';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createMcpServer } from './create-mcp-server.ts';

export const SAMPLE_CRM = 'appJRG6RjcS0ZVuqz';

export interface CatalogueClient {
  client: Client;
  emulator: RunningEmulator;
  airtable: ReturnType<typeof createAirtableGateway>;
  close(): Promise<void>;
}

/**
 * A real SDK Client talking over an in-memory link to an MCP server that serves the whole
 * catalogue, through the gateway, against the sample emulator (rate limits on, raised).
 */
export async function startCatalogueClient(token: string): Promise<CatalogueClient> {
  const emulator = await createEmulator({
    port: 0,
    seed: 'sample',
    tokens: [token],
    rateLimits: { enabled: true, perBase: 50, perOwner: 200, penaltyMs: 2000 },
  });
  const engine = await createGatewayEngine({
    upstreamUrl: emulator.url,
    perBaseLimit: 50,
    perOwnerLimit: 200,
  });
  const airtable = createAirtableGateway({ engine, token });
  const operations = createMemoryOperationStore();
  const server = createMcpServer({
    tools: createCatalogue(OPEN_POLICY),
    policy: OPEN_POLICY,
    contextFor: () => ({ airtable, operations, caller: { id: 'test' } }),
  });
  const client = new Client({ name: 'test', version: '1.0.0' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return {
    client,
    emulator,
    airtable,
    async close() {
      await client.close();
      await airtable.close();
      await engine.close();
      await emulator.close();
    },
  };
}

/** The first text block of a tool result. */
export function resultText(result: Record<string, unknown>): string {
  return (result.content as { text: string }[] | undefined)?.[0]?.text ?? '';
}
