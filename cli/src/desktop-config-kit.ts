import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

/** One `mcpServers` entry of a Claude Desktop config. */
export interface DesktopServer {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** The `airsuite` entry of the Claude Desktop config a start banner printed (its `Claude Desktop:` line). */
export function printedDesktopServer(lines: readonly string[]): DesktopServer {
  const line = lines.find((l) => l.trimStart().startsWith('Claude Desktop: '));
  if (!line) throw new Error(`no Claude Desktop line in:\n${lines.join('\n')}`);
  const config = JSON.parse(line.trimStart().slice('Claude Desktop: '.length)) as {
    mcpServers: Record<string, DesktopServer>;
  };
  const server = config.mcpServers.airsuite;
  if (!server) throw new Error(`no airsuite server in ${line}`);
  return server;
}

/**
 * Starts `server` as Claude Desktop does (the SDK's stdio client: the command and args as given,
 * the env merged over a minimal inherited one, here from `cwd`), and runs `work` with a client.
 */
export async function withDesktopServer<T>(
  server: DesktopServer,
  cwd: string,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({ name: 'claude-desktop-spec', version: '0' });
  await client.connect(
    new StdioClientTransport({
      command: server.command,
      args: server.args,
      env: server.env,
      cwd,
      stderr: 'pipe',
    }),
  );
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}
