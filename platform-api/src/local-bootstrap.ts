import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { randomToken } from './crypto/opaque-token.ts';
import { verifyPassword } from './crypto/password.ts';
import { isPlatformError } from './errors.ts';
import type { Platform } from './platform.ts';
import type { Principal } from './principal.ts';

export const LOCAL_CREDENTIALS_FILE = 'first-start.json';
export const LOCAL_OWNER_EMAIL = 'owner@airsuite.local';
const UNKNOWN_PASSWORD = '(set on an earlier start whose first-start.json is gone)';
export const CHANGED_PASSWORD = '(changed since the first start)';

const credentialsSchema = z.object({
  email: z.string(),
  password: z.string(),
  workspaceId: z.string(),
  apiKey: z.string(),
  /** The emulator token the workspace's connection holds; reused so the connection stays valid. */
  emulatorToken: z.string().optional(),
});

export type LocalCredentials = z.infer<typeof credentialsSchema>;

/** What `npm start` made on its first run, kept (0600) so later starts reuse and print it. */
export function readLocalCredentials(dataDir: string): LocalCredentials | undefined {
  const file = join(dataDir, LOCAL_CREDENTIALS_FILE);
  if (!existsSync(file)) return undefined;
  const parsed = credentialsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  return parsed.success ? parsed.data : undefined;
}

function writeLocalCredentials(dataDir: string, credentials: LocalCredentials): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dataDir, LOCAL_CREDENTIALS_FILE), `${JSON.stringify(credentials, null, 2)}\n`, {
    mode: 0o600,
  });
}

export interface LocalBootstrapOptions {
  platform: Platform;
  dataDir: string;
  /** The Airtable token the sample workspace connects with (the emulator's, or AIRTABLE_TOKEN). */
  airtableToken?: string;
  emulatorToken?: string;
}

export interface LocalBootstrap extends LocalCredentials {
  /** False when an earlier start made them and they still work. */
  created: boolean;
  /** This start registered the owner, so its password is new (a banner shows it this once). */
  accountCreated: boolean;
  /** `password` is the owner's working password, not a note that it was changed or is unknown. */
  passwordWorks: boolean;
}

/** The first start's password, or a note when the owner has changed it since (POST /v1/me/password). */
async function stillTheSame(platform: Platform, credentials: LocalCredentials): Promise<string> {
  const [row] = await platform.db.query<{ password_hash: string }>(
    'SELECT password_hash FROM users WHERE lower(email) = lower($1)',
    [credentials.email],
  );
  if (!row) return UNKNOWN_PASSWORD;
  return (await verifyPassword(row.password_hash, credentials.password))
    ? credentials.password
    : CHANGED_PASSWORD;
}

async function stillWorks(platform: Platform, credentials: LocalCredentials): Promise<boolean> {
  try {
    const principal: Principal = await platform.apiKeys.authenticate(credentials.apiKey);
    await platform.workspaces.access(principal, credentials.workspaceId);
    return true;
  } catch (error) {
    if (isPlatformError(error)) return false;
    throw error;
  }
}

/**
 * First start on a laptop: an owner account, a workspace connected to the sample bases and an
 * API key for MCP clients, so `npm start` is usable at once. A later start reuses them; if
 * someone revoked the key or deleted the workspace, the missing parts are made again.
 */
export async function ensureLocalBootstrap(options: LocalBootstrapOptions): Promise<LocalBootstrap> {
  const { platform, dataDir } = options;
  const previous = readLocalCredentials(dataDir);
  if (previous && (await stillWorks(platform, previous))) {
    const password = await stillTheSame(platform, previous);
    return {
      ...previous,
      password,
      created: false,
      accountCreated: false,
      passwordWorks: password === previous.password,
    };
  }

  const [existing] = await platform.db.query<{ id: string }>(
    'SELECT id FROM users WHERE lower(email) = lower($1)',
    [LOCAL_OWNER_EMAIL],
  );
  // Without the earlier file the old password is unknowable (only its hash is stored).
  const password = existing
    ? previous
      ? await stillTheSame(platform, previous)
      : UNKNOWN_PASSWORD
    : randomToken(18);
  if (!existing)
    await platform.accounts.register({ email: LOCAL_OWNER_EMAIL, password, name: 'Local owner' });
  const [owner] = await platform.db.query<{ id: string }>(
    'SELECT id FROM users WHERE lower(email) = lower($1)',
    [LOCAL_OWNER_EMAIL],
  );
  if (!owner) throw new Error('the local owner account could not be created');
  const principal: Principal = {
    kind: 'user',
    userId: owner.id,
    email: LOCAL_OWNER_EMAIL,
    sessionId: 'local-bootstrap',
  };

  let workspaceId = previous?.workspaceId;
  const reachable = workspaceId
    ? await platform.workspaces.access(principal, workspaceId).then(
        () => true,
        () => false,
      )
    : false;
  if (!workspaceId || !reachable) {
    workspaceId = (await platform.workspaces.create(principal, 'Sample workspace')).id;
  }
  const access = await platform.workspaces.access(principal, workspaceId);
  if (options.airtableToken && (await platform.connections.list(access)).length === 0) {
    await platform.connections.create(access, { name: 'Sample bases', token: options.airtableToken });
  }
  const { token } = await platform.apiKeys.create(access, {
    name: 'MCP client (made on first start)',
    role: 'editor',
  });
  const credentials: LocalCredentials = {
    email: LOCAL_OWNER_EMAIL,
    password,
    workspaceId,
    apiKey: token,
    ...(options.emulatorToken ? { emulatorToken: options.emulatorToken } : {}),
  };
  writeLocalCredentials(dataDir, credentials);
  return {
    ...credentials,
    created: true,
    accountCreated: !existing,
    passwordWorks: !existing || password === previous?.password,
  };
}
