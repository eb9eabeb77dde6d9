import { createIsolatedSchema } from '@airsuite/platform-api';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/**
 * A private schema in the PostgreSQL of DATABASE_URL, as a URL whose connections use it, so a
 * whole `airsuite start` can run against real PostgreSQL without touching shared tables.
 * Undefined without DATABASE_URL (the embedded database is used then).
 */
export async function isolatedDatabaseUrl(
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  return env.DATABASE_URL ? createIsolatedSchema(env.DATABASE_URL, 'cli') : undefined;
}

async function withClient<T>(
  mcpUrl: string,
  apiKey: string,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({ name: 'cli-start-spec', version: '0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(mcpUrl), {
      requestInit: { headers: { authorization: `Bearer ${apiKey}` } },
    }),
  );
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

export const toolNames = (mcpUrl: string, apiKey: string) =>
  withClient(mcpUrl, apiKey, async (client) => (await client.listTools()).tools.map((t) => t.name));

export const callTool = (mcpUrl: string, apiKey: string, name: string) =>
  withClient(mcpUrl, apiKey, async (client) => {
    const result = await client.callTool({ name, arguments: {} });
    return JSON.stringify(result.content);
  });

/** Starts a conversation and sends one message; returns the raw SSE text of the answer. */
export async function chatWithoutGemini(chatUrl: string, apiKey: string): Promise<string> {
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  const created = await fetch(`${chatUrl}/v1/conversations`, { method: 'POST', headers, body: '{}' });
  const { id } = (await created.json()) as { id: string };
  const answer = await fetch(`${chatUrl}/v1/conversations/${id}/messages`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ text: 'How many deals?' }),
  });
  return answer.text();
}
