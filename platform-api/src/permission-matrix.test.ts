import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { WorkspaceRole } from '@airsuite/tools';
import { beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_ERRORS, type PlatformErrorCode } from './errors.ts';
import type { PluginManifestInput } from './plugins/manifest.ts';
import { WAT, wasmOf } from './plugins/testing/wat-fixtures.ts';
import { PASSWORD, type RigUser, SAMPLE_CRM, usePlatformRig } from './testing/platform-rig.ts';

/**
 * Every endpoint under /v1/workspaces/{id} × every role, as a signed-in user and as an API key
 * of that role. A cell expects a status (allowed) or a refusal code (its status comes from the
 * error catalogue). Destructive cells build their own target, so no cell depends on another.
 */

// Webhooks point at a public address and nothing is delivered: the rows test who may, not delivery.
const rig = usePlatformRig({ webhooks: { deliver: false } });
const WEBHOOK_URL = 'https://93.184.216.34/hooks';

const ROLES = ['owner', 'admin', 'editor', 'viewer'] as const satisfies readonly WorkspaceRole[];
type Role = (typeof ROLES)[number];
type Auth = { authorization: string };
type Expected = number | PlatformErrorCode;

interface Principal {
  role: Role;
  kind: 'user' | 'key';
  label: string;
}

const PRINCIPALS: Principal[] = ROLES.flatMap((role) => [
  { role, kind: 'user' as const, label: `${role} user` },
  { role, kind: 'key' as const, label: `${role} API key` },
]);

interface Request {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
  /** After the call: `allowed` tells whether the cell expected success. */
  afterwards?(allowed: boolean): Promise<void>;
}

interface Row {
  name: string;
  expect: Record<Role, Expected>;
  /** Runs a fresh workspace (owned by the shared owner) instead of the shared one. */
  freshWorkspace?: boolean;
  request(ws: string): Promise<Request>;
}

const everyone = (status: number): Record<Role, Expected> => ({
  owner: status,
  admin: status,
  editor: status,
  viewer: status,
});
const adminsOnly = (status: number): Record<Role, Expected> => ({
  owner: status,
  admin: status,
  editor: 'FORBIDDEN',
  viewer: 'FORBIDDEN',
});
const ownersOnly = (status: number): Record<Role, Expected> => ({
  owner: status,
  admin: 'FORBIDDEN',
  editor: 'FORBIDDEN',
  viewer: 'FORBIDDEN',
});

let owner: RigUser;
/** One member per role below owner in every workspace used here (the owner is `owner`). */
const roleUsers = {} as Record<Exclude<Role, 'owner'>, RigUser>;
let shared: string;
const sharedKeys = {} as Record<Role, Auth>;
let uniq = 0;

/** An account that is nobody's member yet (registered only: one password hash). */
async function stranger(): Promise<{ id: string; email: string }> {
  uniq += 1;
  const email = `target-${uniq}-${randomBytes(3).toString('hex')}@example.com`;
  const response = await rig.call('POST', '/v1/auth/register', { body: { email, password: PASSWORD } });
  expect(response.statusCode).toBe(201);
  return { id: response.json().id, email };
}

async function memberWithRole(ws: string, role: Role): Promise<string> {
  const target = await stranger();
  const added = await rig.call('POST', `/v1/workspaces/${ws}/members`, {
    auth: owner.auth,
    body: { email: target.email, role },
  });
  expect(added.statusCode).toBe(201);
  return target.id;
}

async function roleOf(ws: string, userId: string): Promise<string | undefined> {
  const [row] = await rig
    .db()
    .query<{ role: string }>('SELECT role FROM memberships WHERE workspace_id = $1 AND user_id = $2', [
      ws,
      userId,
    ]);
  return row?.role;
}

async function createWebhook(ws: string): Promise<string> {
  const created = await rig.call('POST', `/v1/workspaces/${ws}/webhooks`, {
    auth: owner.auth,
    body: { url: WEBHOOK_URL, event_types: ['webhook.test'] },
  });
  expect(created.statusCode).toBe(201);
  return created.json().id;
}

const webhooks = new Map<string, Promise<{ id: string; messageId: string }>>();

/** One webhook per workspace with one (pending) test message, made by the owner on first use. */
function webhookOf(ws: string): Promise<{ id: string; messageId: string }> {
  const made =
    webhooks.get(ws) ??
    (async () => {
      const id = await createWebhook(ws);
      const sent = await rig.call('POST', `/v1/workspaces/${ws}/webhooks/${id}/test`, { auth: owner.auth });
      expect(sent.statusCode).toBe(202);
      const [message] = await rig
        .db()
        .query<{ id: string }>('SELECT id FROM webhook_messages WHERE event_id = $1', [sent.json().event_id]);
      if (!message) throw new Error('the test event made no message');
      return { id, messageId: message.id };
    })();
  webhooks.set(ws, made);
  return made;
}

let echoModule = '';

/** A plugin (the echo fixture): `echo` for editors and above, the read-only `noop` for any member. */
const pluginManifest = (name: string, version: string): PluginManifestInput => ({
  name,
  version,
  description: 'Echoes its input',
  author: 'Permission matrix',
  functions: [
    { name: 'echo', description: 'Returns what it is given.', input_schema: { type: 'object' } },
    {
      name: 'noop',
      description: 'Does nothing at all.',
      input_schema: { type: 'object' },
      annotations: { readOnlyHint: true },
    },
  ],
});

async function publishPlugin(ws: string, name: string, version: string): Promise<void> {
  const published = await rig.call('POST', `/v1/workspaces/${ws}/plugin-versions`, {
    auth: owner.auth,
    body: { manifest: pluginManifest(name, version), module: echoModule },
  });
  expect({ status: published.statusCode, body: published.body }).toMatchObject({ status: 201 });
}

/** A new plugin name with `versions` published, installed by the owner at 1.0.0. */
async function installPlugin(ws: string, versions: string[] = ['1.0.0']): Promise<string> {
  uniq += 1;
  const name = `matrix_${uniq}`;
  for (const version of versions) await publishPlugin(ws, name, version);
  const installed = await rig.call('POST', `/v1/workspaces/${ws}/plugins`, {
    auth: owner.auth,
    body: { name, version: '1.0.0' },
  });
  expect({ status: installed.statusCode, body: installed.body }).toMatchObject({ status: 201 });
  return name;
}

const plugins = new Map<string, Promise<string>>();

/** One installed, enabled plugin per workspace, made by the owner on first use. */
function pluginOf(ws: string): Promise<string> {
  const made = plugins.get(ws) ?? installPlugin(ws);
  plugins.set(ws, made);
  return made;
}

async function installedVersion(ws: string, name: string): Promise<string | undefined> {
  const [row] = await rig.db().query<{ version: string }>(
    `SELECT v.version FROM plugin_installations i JOIN plugin_versions v ON v.id = i.version_id
       WHERE i.workspace_id = $1 AND i.name = $2`,
    [ws, name],
  );
  return row?.version;
}

const ed25519Key = () =>
  generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).toString('base64');

/** The credential `principal` uses in workspace `ws` (joining it or minting a key as needed). */
async function seat(principal: Principal, ws: string): Promise<Auth> {
  if (principal.kind === 'key') {
    if (ws === shared) return sharedKeys[principal.role];
    return (await rig.apiKey(owner, ws, principal.role)).auth;
  }
  if (principal.role === 'owner') return owner.auth;
  const user = roleUsers[principal.role];
  if (ws !== shared) await rig.addMember(owner, ws, user, principal.role);
  return user.auth;
}

const ROWS: Row[] = [
  {
    name: 'GET /workspaces/{id}',
    expect: everyone(200),
    request: async (ws) => ({ method: 'GET', url: `/v1/workspaces/${ws}` }),
  },
  {
    name: 'PATCH /workspaces/{id} (rename)',
    expect: adminsOnly(200),
    request: async (ws) => ({ method: 'PATCH', url: `/v1/workspaces/${ws}`, body: { name: 'Renamed' } }),
  },
  {
    name: 'DELETE /workspaces/{id}',
    expect: ownersOnly(204),
    freshWorkspace: true,
    request: async (ws) => ({
      method: 'DELETE',
      url: `/v1/workspaces/${ws}`,
      async afterwards(allowed) {
        const rows = await rig.db().query('SELECT id FROM workspaces WHERE id = $1', [ws]);
        expect(rows).toHaveLength(allowed ? 0 : 1);
      },
    }),
  },
  {
    name: 'POST /members (as viewer)',
    expect: adminsOnly(201),
    async request(ws) {
      const target = await stranger();
      return {
        method: 'POST',
        url: `/v1/workspaces/${ws}/members`,
        body: { email: target.email, role: 'viewer' },
        afterwards: async (allowed) =>
          expect(await roleOf(ws, target.id)).toBe(allowed ? 'viewer' : undefined),
      };
    },
  },
  {
    name: 'POST /members (as owner)',
    expect: ownersOnly(201),
    async request(ws) {
      const target = await stranger();
      return {
        method: 'POST',
        url: `/v1/workspaces/${ws}/members`,
        body: { email: target.email, role: 'owner' },
        afterwards: async (allowed) =>
          expect(await roleOf(ws, target.id)).toBe(allowed ? 'owner' : undefined),
      };
    },
  },
  {
    name: 'GET /members',
    expect: everyone(200),
    request: async (ws) => ({ method: 'GET', url: `/v1/workspaces/${ws}/members` }),
  },
  {
    name: 'PATCH /members/{userId} (editor → viewer)',
    expect: adminsOnly(200),
    async request(ws) {
      const target = await memberWithRole(ws, 'editor');
      return {
        method: 'PATCH',
        url: `/v1/workspaces/${ws}/members/${target}`,
        body: { role: 'viewer' },
        afterwards: async (allowed) => expect(await roleOf(ws, target)).toBe(allowed ? 'viewer' : 'editor'),
      };
    },
  },
  {
    name: 'PATCH /members/{userId} (editor → owner)',
    expect: ownersOnly(200),
    async request(ws) {
      const target = await memberWithRole(ws, 'editor');
      return {
        method: 'PATCH',
        url: `/v1/workspaces/${ws}/members/${target}`,
        body: { role: 'owner' },
        afterwards: async (allowed) => expect(await roleOf(ws, target)).toBe(allowed ? 'owner' : 'editor'),
      };
    },
  },
  {
    name: 'PATCH /members/{userId} (owner → admin)',
    expect: ownersOnly(200),
    async request(ws) {
      const target = await memberWithRole(ws, 'owner');
      return {
        method: 'PATCH',
        url: `/v1/workspaces/${ws}/members/${target}`,
        body: { role: 'admin' },
        afterwards: async (allowed) => expect(await roleOf(ws, target)).toBe(allowed ? 'admin' : 'owner'),
      };
    },
  },
  {
    name: 'DELETE /members/{userId} (an editor)',
    expect: adminsOnly(204),
    async request(ws) {
      const target = await memberWithRole(ws, 'editor');
      return {
        method: 'DELETE',
        url: `/v1/workspaces/${ws}/members/${target}`,
        afterwards: async (allowed) => expect(await roleOf(ws, target)).toBe(allowed ? undefined : 'editor'),
      };
    },
  },
  {
    name: 'DELETE /members/{userId} (an owner)',
    expect: ownersOnly(204),
    async request(ws) {
      const target = await memberWithRole(ws, 'owner');
      return {
        method: 'DELETE',
        url: `/v1/workspaces/${ws}/members/${target}`,
        afterwards: async (allowed) => expect(await roleOf(ws, target)).toBe(allowed ? undefined : 'owner'),
      };
    },
  },
  {
    name: 'POST /api-keys (viewer key)',
    expect: adminsOnly(201),
    request: async (ws) => ({
      method: 'POST',
      url: `/v1/workspaces/${ws}/api-keys`,
      body: { name: 'matrix', role: 'viewer' },
    }),
  },
  {
    name: 'POST /api-keys (admin key)',
    expect: adminsOnly(201),
    request: async (ws) => ({
      method: 'POST',
      url: `/v1/workspaces/${ws}/api-keys`,
      body: { name: 'matrix', role: 'admin' },
    }),
  },
  {
    name: 'POST /api-keys (owner key: above an admin)',
    expect: ownersOnly(201),
    request: async (ws) => ({
      method: 'POST',
      url: `/v1/workspaces/${ws}/api-keys`,
      body: { name: 'matrix', role: 'owner' },
    }),
  },
  {
    name: 'GET /api-keys',
    expect: adminsOnly(200),
    request: async (ws) => ({ method: 'GET', url: `/v1/workspaces/${ws}/api-keys` }),
  },
  {
    name: 'DELETE /api-keys/{keyId}',
    expect: adminsOnly(204),
    async request(ws) {
      const key = await rig.apiKey(owner, ws, 'viewer');
      return {
        method: 'DELETE',
        url: `/v1/workspaces/${ws}/api-keys/${key.id}`,
        async afterwards(allowed) {
          const [row] = await rig
            .db()
            .query<{ revoked_at: Date | null }>('SELECT revoked_at FROM api_keys WHERE id = $1', [key.id]);
          expect(row?.revoked_at !== null).toBe(allowed);
        },
      };
    },
  },
  {
    name: 'POST /connections',
    expect: adminsOnly(201),
    request: async (ws) => ({
      method: 'POST',
      url: `/v1/workspaces/${ws}/connections`,
      body: { name: 'Matrix', token: rig.airtableToken() },
    }),
  },
  {
    name: 'GET /connections',
    expect: everyone(200),
    request: async (ws) => ({ method: 'GET', url: `/v1/workspaces/${ws}/connections` }),
  },
  {
    name: 'DELETE /connections/{connectionId}',
    expect: adminsOnly(204),
    async request(ws) {
      const created = await rig.call('POST', `/v1/workspaces/${ws}/connections`, {
        auth: owner.auth,
        body: { name: 'Doomed', token: rig.airtableToken() },
      });
      expect(created.statusCode).toBe(201);
      const id: string = created.json().id;
      return {
        method: 'DELETE',
        url: `/v1/workspaces/${ws}/connections/${id}`,
        async afterwards(allowed) {
          const rows = await rig.db().query('SELECT id FROM connections WHERE id = $1', [id]);
          expect(rows).toHaveLength(allowed ? 0 : 1);
        },
      };
    },
  },
  {
    name: 'GET /audit',
    expect: adminsOnly(200),
    request: async (ws) => ({ method: 'GET', url: `/v1/workspaces/${ws}/audit` }),
  },
  {
    name: 'GET /tools',
    expect: everyone(200),
    request: async (ws) => ({ method: 'GET', url: `/v1/workspaces/${ws}/tools` }),
  },
  {
    name: 'POST /webhooks',
    expect: adminsOnly(201),
    request: async (ws) => ({
      method: 'POST',
      url: `/v1/workspaces/${ws}/webhooks`,
      body: { url: WEBHOOK_URL, event_types: ['webhook.test'] },
    }),
  },
  {
    name: 'GET /webhooks',
    expect: adminsOnly(200),
    request: async (ws) => ({ method: 'GET', url: `/v1/workspaces/${ws}/webhooks` }),
  },
  {
    name: 'GET /webhooks/{webhookId}',
    expect: adminsOnly(200),
    request: async (ws) => ({
      method: 'GET',
      url: `/v1/workspaces/${ws}/webhooks/${(await webhookOf(ws)).id}`,
    }),
  },
  {
    name: 'PATCH /webhooks/{webhookId}',
    expect: adminsOnly(200),
    request: async (ws) => ({
      method: 'PATCH',
      url: `/v1/workspaces/${ws}/webhooks/${(await webhookOf(ws)).id}`,
      body: { description: 'matrix' },
    }),
  },
  {
    name: 'DELETE /webhooks/{webhookId}',
    expect: adminsOnly(204),
    async request(ws) {
      const id = await createWebhook(ws);
      return {
        method: 'DELETE',
        url: `/v1/workspaces/${ws}/webhooks/${id}`,
        async afterwards(allowed) {
          const rows = await rig.db().query('SELECT id FROM webhook_endpoints WHERE id = $1', [id]);
          expect(rows).toHaveLength(allowed ? 0 : 1);
        },
      };
    },
  },
  {
    name: 'POST /webhooks/{webhookId}/rotate-secret',
    expect: adminsOnly(200),
    request: async (ws) => ({
      method: 'POST',
      url: `/v1/workspaces/${ws}/webhooks/${(await webhookOf(ws)).id}/rotate-secret`,
      body: { overlap_seconds: 60 },
    }),
  },
  {
    name: 'POST /webhooks/{webhookId}/test',
    expect: adminsOnly(202),
    request: async (ws) => ({
      method: 'POST',
      url: `/v1/workspaces/${ws}/webhooks/${(await webhookOf(ws)).id}/test`,
    }),
  },
  {
    name: 'GET /webhooks/{webhookId}/messages',
    expect: adminsOnly(200),
    request: async (ws) => ({
      method: 'GET',
      url: `/v1/workspaces/${ws}/webhooks/${(await webhookOf(ws)).id}/messages`,
    }),
  },
  {
    name: 'GET /webhooks/{webhookId}/health',
    expect: adminsOnly(200),
    request: async (ws) => ({
      method: 'GET',
      url: `/v1/workspaces/${ws}/webhooks/${(await webhookOf(ws)).id}/health`,
    }),
  },
  {
    name: 'POST /webhooks/{webhookId}/replay',
    expect: adminsOnly(200),
    request: async (ws) => ({
      method: 'POST',
      url: `/v1/workspaces/${ws}/webhooks/${(await webhookOf(ws)).id}/replay`,
      body: { since: '2020-01-01T00:00:00Z' },
    }),
  },
  {
    name: 'GET /webhook-messages/{messageId}',
    expect: adminsOnly(200),
    request: async (ws) => ({
      method: 'GET',
      url: `/v1/workspaces/${ws}/webhook-messages/${(await webhookOf(ws)).messageId}`,
    }),
  },
  {
    name: 'POST /webhook-messages/{messageId}/replay',
    expect: adminsOnly(200),
    request: async (ws) => ({
      method: 'POST',
      url: `/v1/workspaces/${ws}/webhook-messages/${(await webhookOf(ws)).messageId}/replay`,
    }),
  },
  {
    name: 'GET /plugins',
    expect: everyone(200),
    request: async (ws) => ({ method: 'GET', url: `/v1/workspaces/${ws}/plugins` }),
  },
  {
    name: 'GET /plugins/{name}',
    expect: everyone(200),
    request: async (ws) => ({ method: 'GET', url: `/v1/workspaces/${ws}/plugins/${await pluginOf(ws)}` }),
  },
  {
    name: 'GET /plugin-versions',
    expect: everyone(200),
    request: async (ws) => ({ method: 'GET', url: `/v1/workspaces/${ws}/plugin-versions` }),
  },
  {
    name: 'POST /plugin-versions',
    expect: adminsOnly(201),
    async request(ws) {
      uniq += 1;
      return {
        method: 'POST',
        url: `/v1/workspaces/${ws}/plugin-versions`,
        body: { manifest: pluginManifest(`published_${uniq}`, '1.0.0'), module: echoModule },
      };
    },
  },
  {
    name: 'POST /plugins (install)',
    expect: adminsOnly(201),
    async request(ws) {
      uniq += 1;
      const name = `installable_${uniq}`;
      await publishPlugin(ws, name, '1.0.0');
      return {
        method: 'POST',
        url: `/v1/workspaces/${ws}/plugins`,
        body: { name, version: '1.0.0' },
        afterwards: async (allowed) =>
          expect(await installedVersion(ws, name)).toBe(allowed ? '1.0.0' : undefined),
      };
    },
  },
  {
    name: 'PUT /plugins/{name}/version',
    expect: adminsOnly(200),
    async request(ws) {
      const name = await installPlugin(ws, ['1.0.0', '1.1.0']);
      return {
        method: 'PUT',
        url: `/v1/workspaces/${ws}/plugins/${name}/version`,
        body: { version: '1.1.0' },
        afterwards: async (allowed) =>
          expect(await installedVersion(ws, name)).toBe(allowed ? '1.1.0' : '1.0.0'),
      };
    },
  },
  {
    name: 'POST /plugins/{name}/rollback',
    expect: adminsOnly(200),
    async request(ws) {
      const name = await installPlugin(ws, ['1.0.0', '1.1.0']);
      const upgraded = await rig.call('PUT', `/v1/workspaces/${ws}/plugins/${name}/version`, {
        auth: owner.auth,
        body: { version: '1.1.0' },
      });
      expect(upgraded.statusCode).toBe(200);
      return {
        method: 'POST',
        url: `/v1/workspaces/${ws}/plugins/${name}/rollback`,
        afterwards: async (allowed) =>
          expect(await installedVersion(ws, name)).toBe(allowed ? '1.0.0' : '1.1.0'),
      };
    },
  },
  {
    name: 'PATCH /plugins/{name} (disable)',
    expect: adminsOnly(200),
    request: async (ws) => ({
      method: 'PATCH',
      url: `/v1/workspaces/${ws}/plugins/${await installPlugin(ws)}`,
      body: { enabled: false },
    }),
  },
  {
    name: 'DELETE /plugins/{name}',
    expect: adminsOnly(204),
    async request(ws) {
      const name = await installPlugin(ws);
      return {
        method: 'DELETE',
        url: `/v1/workspaces/${ws}/plugins/${name}`,
        afterwards: async (allowed) =>
          expect(await installedVersion(ws, name)).toBe(allowed ? undefined : '1.0.0'),
      };
    },
  },
  {
    name: 'POST /plugins/{name}/functions/noop (read-only)',
    expect: everyone(200),
    request: async (ws) => ({
      method: 'POST',
      url: `/v1/workspaces/${ws}/plugins/${await pluginOf(ws)}/functions/noop`,
      body: { input: {} },
    }),
  },
  {
    name: 'POST /plugins/{name}/functions/echo',
    expect: { owner: 200, admin: 200, editor: 200, viewer: 'FORBIDDEN' },
    request: async (ws) => ({
      method: 'POST',
      url: `/v1/workspaces/${ws}/plugins/${await pluginOf(ws)}/functions/echo`,
      body: { input: { hello: 'matrix' } },
    }),
  },
  {
    name: 'GET /plugin-settings',
    expect: everyone(200),
    request: async (ws) => ({ method: 'GET', url: `/v1/workspaces/${ws}/plugin-settings` }),
  },
  {
    // The default again: the shared workspace keeps publishing unsigned plugins.
    name: 'PATCH /plugin-settings',
    expect: adminsOnly(200),
    request: async (ws) => ({
      method: 'PATCH',
      url: `/v1/workspaces/${ws}/plugin-settings`,
      body: { max_memory_pages: 256 },
    }),
  },
  {
    name: 'GET /plugin-keys',
    expect: everyone(200),
    request: async (ws) => ({ method: 'GET', url: `/v1/workspaces/${ws}/plugin-keys` }),
  },
  {
    name: 'POST /plugin-keys',
    expect: adminsOnly(201),
    async request(ws) {
      uniq += 1;
      return {
        method: 'POST',
        url: `/v1/workspaces/${ws}/plugin-keys`,
        body: { id: `matrix-${uniq}`, name: 'Matrix key', public_key: ed25519Key() },
      };
    },
  },
  {
    name: 'DELETE /plugin-keys/{keyId}',
    expect: adminsOnly(204),
    async request(ws) {
      uniq += 1;
      const id = `doomed-${uniq}`;
      const added = await rig.call('POST', `/v1/workspaces/${ws}/plugin-keys`, {
        auth: owner.auth,
        body: { id, name: 'Doomed key', public_key: ed25519Key() },
      });
      expect(added.statusCode).toBe(201);
      return {
        method: 'DELETE',
        url: `/v1/workspaces/${ws}/plugin-keys/${id}`,
        async afterwards(allowed) {
          const rows = await rig
            .db()
            .query('SELECT id FROM plugin_trusted_keys WHERE workspace_id = $1 AND id = $2', [ws, id]);
          expect(rows).toHaveLength(allowed ? 0 : 1);
        },
      };
    },
  },
  {
    name: 'POST /tools/list_bases (read tool)',
    expect: everyone(200),
    request: async (ws) => ({ method: 'POST', url: `/v1/workspaces/${ws}/tools/list_bases`, body: {} }),
  },
  {
    // A tool above the caller's role is not in its catalogue (GET /tools, MCP tools/list), so
    // calling it is TOOL_NOT_FOUND, exactly as over MCP, not a 403 that the catalogue never hinted at.
    name: 'POST /tools/create_records (write tool)',
    expect: { owner: 200, admin: 200, editor: 200, viewer: 'TOOL_NOT_FOUND' },
    request: async (ws) => ({
      method: 'POST',
      url: `/v1/workspaces/${ws}/tools/create_records`,
      body: {
        base_id: SAMPLE_CRM,
        table: 'Companies',
        records: [{ fields: { Name: `Matrix Co ${randomBytes(3).toString('hex')}` } }],
      },
    }),
  },
  {
    name: 'POST /tools/list_audit_events (platform tool, admins)',
    expect: { owner: 200, admin: 200, editor: 'TOOL_NOT_FOUND', viewer: 'TOOL_NOT_FOUND' },
    request: async (ws) => ({
      method: 'POST',
      url: `/v1/workspaces/${ws}/tools/list_audit_events`,
      body: { limit: 5 },
    }),
  },
];

beforeAll(async () => {
  echoModule = Buffer.from(await wasmOf(WAT.echo)).toString('base64');
  owner = await rig.user('owner');
  for (const role of ['admin', 'editor', 'viewer'] as const) roleUsers[role] = await rig.user(role);
  shared = await rig.workspace(owner, { connect: true });
  for (const role of ['admin', 'editor', 'viewer'] as const)
    await rig.addMember(owner, shared, roleUsers[role], role);
  for (const role of ROLES) sharedKeys[role] = (await rig.apiKey(owner, shared, role)).auth;
}, 60_000);

describe.each(PRINCIPALS)('as $label', (principal) => {
  const cases = ROWS.map((row) => ({ row, expected: row.expect[principal.role] }));
  it.each(cases)('$row.name → $expected', async ({ row, expected }) => {
    const ws = row.freshWorkspace ? await rig.workspace(owner, { connect: true }) : shared;
    const auth = await seat(principal, ws);
    const request = await row.request(ws);
    const response = await rig.call(request.method, request.url, {
      auth,
      ...(request.body !== undefined ? { body: request.body } : {}),
    });
    const allowed = typeof expected === 'number';
    if (allowed) {
      expect({ status: response.statusCode, body: response.body }).toMatchObject({ status: expected });
    } else {
      expect({ status: response.statusCode, code: response.json().code }).toEqual({
        status: PLATFORM_ERRORS[expected],
        code: expected,
      });
    }
    await request.afterwards?.(allowed);
  });
});
