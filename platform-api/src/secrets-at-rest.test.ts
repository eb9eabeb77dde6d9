import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlatformApp } from './server.ts';
import { SAMPLE_CRM, usePlatformRig } from './testing/platform-rig.ts';

/**
 * No secret the platform handles (passwords, refresh tokens, API keys, Airtable tokens) is
 * ever written down: not in any table, not in any log line, not in a listing.
 */

const rig = usePlatformRig();

const logLines: string[] = [];
let app: FastifyInstance;
const password = `Zebra-${randomBytes(9).toString('base64url')}-staple`;
const email = `secret-keeper-${randomBytes(3).toString('hex')}@example.com`;
/** Every secret seen during the scenario; the checks look for each and its 12-char windows. */
const secrets: { label: string; value: string; windows: string }[] = [];
let workspaceId: string;
let otherWorkspaceId: string;
let connectionId: string;
let ownerAuth: { authorization: string };

function call(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  options: { auth?: { authorization: string }; body?: unknown } = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    headers: { ...(options.auth ?? {}) },
    ...(options.body !== undefined ? { payload: options.body as object } : {}),
  });
}

/** `windows` is the part whose 12-character substrings must not appear (an API key's id is public). */
function remember(label: string, value: string, windows = value) {
  secrets.push({ label, value, windows });
}

function leaks(text: string): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    if (text.includes(secret.value)) {
      found.push(`${secret.label} (whole)`);
      continue;
    }
    for (let i = 0; i + 12 <= secret.windows.length; i++) {
      if (text.includes(secret.windows.slice(i, i + 12))) {
        found.push(`${secret.label} (substring at ${i})`);
        break;
      }
    }
  }
  return found;
}

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  app = await buildPlatformApp({ platform: rig.platform(), logger: pino({ level: 'trace' }, sink) });

  remember('the password', password);
  remember('the Airtable token', rig.airtableToken());

  const registered = await call('POST', '/v1/auth/register', { body: { email, password, name: 'Keeper' } });
  expect(registered.statusCode).toBe(201);
  const login = await call('POST', '/v1/auth/login', { body: { email, password } });
  expect(login.statusCode).toBe(200);
  const first = login.json();
  remember('the first refresh token', first.refresh_token, first.refresh_token.slice(4));
  const refreshed = await call('POST', '/v1/auth/refresh', { body: { refresh_token: first.refresh_token } });
  expect(refreshed.statusCode).toBe(200);
  const tokens = refreshed.json();
  remember('the second refresh token', tokens.refresh_token, tokens.refresh_token.slice(4));
  ownerAuth = { authorization: `Bearer ${tokens.access_token}` };
  // A failed sign-in with the real password's neighbour, so failures are logged too.
  await call('POST', '/v1/auth/login', { body: { email, password: `${password}!` } });

  const workspace = await call('POST', '/v1/workspaces', { auth: ownerAuth, body: { name: 'Vault' } });
  workspaceId = workspace.json().id;
  const other = await call('POST', '/v1/workspaces', { auth: ownerAuth, body: { name: 'Elsewhere' } });
  otherWorkspaceId = other.json().id;

  const connection = await call('POST', `/v1/workspaces/${workspaceId}/connections`, {
    auth: ownerAuth,
    body: { name: 'Emulator', token: rig.airtableToken() },
  });
  expect(connection.statusCode).toBe(201);
  connectionId = connection.json().id;

  const key = await call('POST', `/v1/workspaces/${workspaceId}/api-keys`, {
    auth: ownerAuth,
    body: { name: 'CI', role: 'editor' },
  });
  expect(key.statusCode).toBe(201);
  const apiKey: string = key.json().key;
  // ask_live_<keyId>_<secret>: the key id is the row id; the secret must not be anywhere.
  remember('the API key', apiKey, apiKey.slice(apiKey.lastIndexOf('_') + 1));

  for (const auth of [ownerAuth, { authorization: `Bearer ${apiKey}` }]) {
    const tool = await call('POST', `/v1/workspaces/${workspaceId}/tools/count_records`, {
      auth,
      body: { base_id: SAMPLE_CRM, table: 'Companies' },
    });
    expect(tool.statusCode).toBe(200);
  }
  // A tool call whose arguments carry secrets under secret-sounding names.
  await call('POST', `/v1/workspaces/${workspaceId}/tools/create_records`, {
    auth: ownerAuth,
    body: {
      base_id: SAMPLE_CRM,
      table: 'Companies',
      records: [{ fields: { Name: 'x', password, api_key: apiKey, token: rig.airtableToken() } }],
      dry_run: true,
    },
  });
}, 60_000);

afterAll(async () => {
  await app?.close();
});

describe('secrets at rest', () => {
  it('are in no row of any table', async () => {
    // The detector itself finds each secret, whole and in part.
    for (const secret of secrets) expect(leaks(`..${secret.windows.slice(1, 13)}..`)).not.toEqual([]);
    const tables = await rig
      .db()
      .query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
      );
    const names = tables.map((t) => t.table_name);
    expect(names).toEqual(
      expect.arrayContaining(['users', 'connections', 'api_keys', 'refresh_tokens', 'audit_events']),
    );
    let rows = 0;
    for (const name of names) {
      const dump = await rig
        .db()
        .query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${name}" t`);
      rows += dump.length;
      for (const { row } of dump) expect(leaks(row), `${name}: ${row.slice(0, 200)}`).toEqual([]);
    }
    expect(rows).toBeGreaterThan(10);
  });

  it('the connection listing shows only a hint of the token', async () => {
    const listed = await call('GET', `/v1/workspaces/${workspaceId}/connections`, { auth: ownerAuth });
    expect(listed.statusCode).toBe(200);
    expect(leaks(listed.body)).toEqual([]);
    const [connection] = listed.json().connections;
    expect(Object.keys(connection).filter((k) => /token/.test(k))).toEqual(['token_hint']);
    const token = rig.airtableToken();
    expect(connection.token_hint).toBe(`${token.slice(0, 3)}…${token.slice(-4)}`);
  });

  it('the API key listing shows only a prefix', async () => {
    const listed = await call('GET', `/v1/workspaces/${workspaceId}/api-keys`, { auth: ownerAuth });
    expect(listed.statusCode).toBe(200);
    expect(leaks(listed.body)).toEqual([]);
  });

  it('the audit trail keeps no secret, even when tool arguments carry some', async () => {
    const audit = await call('GET', `/v1/workspaces/${workspaceId}/audit?limit=100`, { auth: ownerAuth });
    expect(audit.statusCode).toBe(200);
    expect(leaks(audit.body)).toEqual([]);
    expect(audit.json().events.map((e: { action: string }) => e.action)).toContain('tool.call');
  });

  it('no log line carries a secret', () => {
    expect(logLines.length).toBeGreaterThan(10);
    const leaking = logLines.filter((line) => leaks(line).length > 0);
    expect(leaking).toEqual([]);
    // No access token either, whole or as a signature.
    const bearer = ownerAuth.authorization.slice('Bearer '.length);
    const signature = bearer.split('.')[2]!;
    expect(logLines.filter((line) => line.includes(bearer) || line.includes(signature))).toEqual([]);
  });

  it('a ciphertext moved to another workspace does not open there', async () => {
    await rig
      .db()
      .query('UPDATE connections SET workspace_id = $2 WHERE id = $1', [connectionId, otherWorkspaceId]);
    const before = logLines.length;
    const tool = await call('POST', `/v1/workspaces/${otherWorkspaceId}/tools/count_records`, {
      auth: ownerAuth,
      body: { base_id: SAMPLE_CRM, table: 'Companies' },
    });
    // The stored secret is unreadable: a server-side integrity fault, reported without detail.
    expect(tool.statusCode).toBe(500);
    expect(tool.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(tool.json().code).toBe('INTERNAL');
    expect(leaks(tool.body)).toEqual([]);
    expect(tool.body).not.toContain('v1.');
    const newLines = logLines.slice(before);
    expect(newLines.some((line) => line.includes('"level":50'))).toBe(true);
    expect(newLines.filter((line) => leaks(line).length > 0)).toEqual([]);
    // The listing still answers (it never decrypts) and the original workspace has no connection now.
    const listed = await call('GET', `/v1/workspaces/${otherWorkspaceId}/connections`, { auth: ownerAuth });
    expect(listed.statusCode).toBe(200);
    const home = await call('POST', `/v1/workspaces/${workspaceId}/tools/count_records`, {
      auth: ownerAuth,
      body: { base_id: SAMPLE_CRM, table: 'Companies' },
    });
    expect(home.statusCode).toBe(503);
    expect(home.json().code).toBe('TOOL_UNAVAILABLE');
  });
});
