import { join } from 'node:path';
import { DEFAULT_PLATFORM_MCP_URL } from '@airsuite/mcp-server/relay';
import { LOCAL_CREDENTIALS_FILE, type LocalBootstrap } from '@airsuite/platform-api';
import type { CliIo } from '../io.ts';
import type { Launcher } from '../launcher.ts';
import { displayPath, EMULATOR_DATA_SUBDIR } from '../local-data.ts';

/** Where `airsuite start` keeps what users make, as the banner tells them. */
export interface DataPlaces {
  /** AIRSUITE_DATA_DIR (absolute). */
  dataDir: string;
  /** The emulator's data directory (absolute). */
  emulatorDir: string;
  /** Set by --data: the start-over command needs it again. */
  emulatorDirFromFlag: boolean;
  /** DATABASE_URL is set: accounts and chats live there. */
  externalDatabase: boolean;
  /** AIRTABLE_API_URL is set: the records are in Airtable itself. */
  realAirtable: boolean;
}

/** The banner's two Data lines: where each kind of data lives, and how to start over. */
export function dataLines(places: DataPlaces): [string, string] {
  const home = displayPath(places.dataDir);
  const emulatorInside = places.emulatorDir === join(places.dataDir, EMULATOR_DATA_SUBDIR);
  const inHome = places.externalDatabase ? [] : ['accounts', 'chats'];
  const pieces: string[] = [];
  if (places.externalDatabase) pieces.push('the DATABASE_URL database (accounts, chats)');
  if (places.realAirtable) pieces.push('records in Airtable itself');
  else if (emulatorInside && !places.externalDatabase) inHome.push('Airtable emulator records');
  else pieces.push(`Airtable emulator records in ${displayPath(places.emulatorDir)}`);
  if (inHome.length > 0) pieces.unshift(`${home} (${inHome.join(', ')})`);
  const fresh = `start over with \`airsuite start --fresh\`${places.emulatorDirFromFlag ? ' (and the same --data)' : ''}`;
  const reset = emulatorInside ? ', or `airsuite reset` to remove it and exit' : '';
  const kept = places.externalDatabase ? ' (local data only: the database is kept)' : '';
  return [`  Data:       ${pieces.join('; ')}`, `              ${fresh}${reset}${kept}`];
}

export interface WelcomeDetails {
  local: LocalBootstrap;
  mcpUrl: string;
  platformUrl: string;
  chatUrl: string;
  /** With real Airtable and no AIRTABLE_TOKEN, the workspace has no connection yet. */
  unconnected: boolean;
  data: DataPlaces;
}

/**
 * A secret as later starts show it: its first characters, enough to tell keys apart. Logs kept
 * by docker or systemd keep whatever is printed, so a secret is printed in full only once.
 */
export function maskSecret(secret: string): string {
  const kind = /^[a-z]+_(?:live_|test_)?/.exec(secret)?.[0] ?? '';
  return `${secret.slice(0, kind.length + 4)}…`;
}

/**
 * Claude Desktop's `mcpServers` entry: the stdio relay of this same airsuite (see Launcher: the
 * installed binary, or node with the checkout's entry point), to this start's MCP server.
 */
export function desktopConfig(launcher: Launcher, mcpUrl: string, apiKey: string) {
  const env = {
    AIRSUITE_API_KEY: apiKey,
    ...(mcpUrl === DEFAULT_PLATFORM_MCP_URL ? {} : { AIRSUITE_MCP_URL: mcpUrl }),
  };
  return { mcpServers: { airsuite: { command: launcher.command, args: [...launcher.args, 'mcp'], env } } };
}

/** What the user needs once everything is up: how to sign in, connect a client, and where data is. */
export function printWelcome(io: CliIo, details: WelcomeDetails): void {
  const { local, mcpUrl, platformUrl, chatUrl, unconnected } = details;
  const credentials = displayPath(join(details.data.dataDir, LOCAL_CREDENTIALS_FILE));
  const kept = `kept in ${credentials}, mode 0600`;
  // The key is new on the first start (or when the stored one stopped working): shown this once.
  const apiKey = local.created ? local.apiKey : `<API key from ${credentials}>`;
  io.stdout('');
  io.stdout(
    local.accountCreated
      ? 'First start: created an account, a workspace and an API key.'
      : local.created
        ? 'Reusing the account made on first start, with a new API key (the stored one no longer worked).'
        : `Reusing the account made on first start (its secrets are ${kept}).`,
  );
  const password = local.accountCreated || !local.passwordWorks ? local.password : `(password ${kept})`;
  io.stdout(`  Sign in:    ${local.email} / ${password}   (POST ${platformUrl}/v1/auth/login)`);
  if (local.accountCreated) io.stdout(`              change it with POST ${platformUrl}/v1/me/password`);
  io.stdout(
    `  Workspace:  ${local.workspaceId}${unconnected ? ' (no Airtable connection: set AIRTABLE_TOKEN or add one via the API)' : ' (connected to the sample bases)'}`,
  );
  io.stdout(
    `  API key:    ${local.created ? local.apiKey : maskSecret(local.apiKey)}   (role editor; ${kept})`,
  );
  io.stdout(`  Chat:       ${chatUrl}/  (sign in with the API key or the account)`);
  for (const line of dataLines(details.data)) io.stdout(line);
  io.stdout('  Connect an MCP client:');
  io.stdout(
    `    claude mcp add --transport http airsuite ${mcpUrl} --header "Authorization: Bearer ${apiKey}"`,
  );
  io.stdout(`    Claude Desktop: ${JSON.stringify(desktopConfig(io.launcher, mcpUrl, apiKey))}`);
  io.stdout('');
}
