import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { WorkspaceRole } from '@airsuite/tools';
import { expect } from 'vitest';
import type { PlatformErrorCode } from '../errors.ts';
import type { PluginManifestInput } from '../plugins/manifest.ts';
import { WAT, wasmOf } from '../plugins/testing/wat-fixtures.ts';
import { PASSWORD, type RigUser, usePlatformRig } from './platform-rig.ts';

/**
 * The permission matrix's world: the roles and principals, the shared workspace with a member
 * and an API key per role, and the fixtures rows build their targets with (members, webhooks,
 * plugins). Its bindings are live: `setUpMatrix` fills them before the rows run.
 */

// Webhooks point at a public address and nothing is delivered: the rows test who may, not delivery.
export const rig = usePlatformRig({ webhooks: { deliver: false } });
export const WEBHOOK_URL = 'https://93.184.216.34/hooks';

export const ROLES = ['owner', 'admin', 'editor', 'viewer'] as const satisfies readonly WorkspaceRole[];
export type Role = (typeof ROLES)[number];
export type Auth = { authorization: string };
export type Expected = number | PlatformErrorCode;

export interface Principal {
  role: Role;
  kind: 'user' | 'key';
  label: string;
}

export const PRINCIPALS: Principal[] = ROLES.flatMap((role) => [
  { role, kind: 'user' as const, label: `${role} user` },
  { role, kind: 'key' as const, label: `${role} API key` },
]);

export interface Request {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
  /** After the call: `allowed` tells whether the cell expected success. */
  afterwards?(allowed: boolean): Promise<void>;
}

export interface Row {
  name: string;
  expect: Record<Role, Expected>;
  /** Runs a fresh workspace (owned by the shared owner) instead of the shared one. */
  freshWorkspace?: boolean;
  request(ws: string): Promise<Request>;
}

export const everyone = (status: number): Record<Role, Expected> => ({
  owner: status,
  admin: status,
  editor: status,
  viewer: status,
});
export const adminsOnly = (status: number): Record<Role, Expected> => ({
  owner: status,
  admin: status,
  editor: 'FORBIDDEN',
  viewer: 'FORBIDDEN',
});
export const ownersOnly = (status: number): Record<Role, Expected> => ({
  owner: status,
  admin: 'FORBIDDEN',
  editor: 'FORBIDDEN',
  viewer: 'FORBIDDEN',
});

export let owner: RigUser;
/** One member per role below owner in every workspace used here (the owner is `owner`). */
export const roleUsers = {} as Record<Exclude<Role, 'owner'>, RigUser>;
export let shared: string;
export const sharedKeys = {} as Record<Role, Auth>;
export let uniq = 0;

/** An account that is nobody's member yet (registered only: one password hash). */
export async function stranger(): Promise<{ id: string; email: string }> {
  uniq += 1;
  const email = `target-${uniq}-${randomBytes(3).toString('hex')}@example.com`;
  const response = await rig.call('POST', '/v1/auth/register', { body: { email, password: PASSWORD } });
  expect(response.statusCode).toBe(201);
  return { id: response.json().id, email };
}

export async function memberWithRole(ws: string, role: Role): Promise<string> {
  const target = await stranger();
  const added = await rig.call('POST', `/v1/workspaces/${ws}/members`, {
    auth: owner.auth,
    body: { email: target.email, role },
  });
  expect(added.statusCode).toBe(201);
  return target.id;
}

export async function roleOf(ws: string, userId: string): Promise<string | undefined> {
  const [row] = await rig
    .db()
    .query<{ role: string }>('SELECT role FROM memberships WHERE workspace_id = $1 AND user_id = $2', [
      ws,
      userId,
    ]);
  return row?.role;
}

export async function createWebhook(ws: string): Promise<string> {
  const created = await rig.call('POST', `/v1/workspaces/${ws}/webhooks`, {
    auth: owner.auth,
    body: { url: WEBHOOK_URL, event_types: ['webhook.test'] },
  });
  expect(created.statusCode).toBe(201);
  return created.json().id;
}

export const webhooks = new Map<string, Promise<{ id: string; messageId: string }>>();

/** One webhook per workspace with one (pending) test message, made by the owner on first use. */
export function webhookOf(ws: string): Promise<{ id: string; messageId: string }> {
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

export let echoModule = '';

/** A plugin (the echo fixture): `echo` for editors and above, the read-only `noop` for any member. */
export const pluginManifest = (name: string, version: string): PluginManifestInput => ({
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

export async function publishPlugin(ws: string, name: string, version: string): Promise<void> {
  const published = await rig.call('POST', `/v1/workspaces/${ws}/plugin-versions`, {
    auth: owner.auth,
    body: { manifest: pluginManifest(name, version), module: echoModule },
  });
  expect({ status: published.statusCode, body: published.body }).toMatchObject({ status: 201 });
}

/** A new plugin name with `versions` published, installed by the owner at 1.0.0. */
export async function installPlugin(ws: string, versions: string[] = ['1.0.0']): Promise<string> {
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

export const plugins = new Map<string, Promise<string>>();

/** One installed, enabled plugin per workspace, made by the owner on first use. */
export function pluginOf(ws: string): Promise<string> {
  const made = plugins.get(ws) ?? installPlugin(ws);
  plugins.set(ws, made);
  return made;
}

export async function installedVersion(ws: string, name: string): Promise<string | undefined> {
  const [row] = await rig.db().query<{ version: string }>(
    `SELECT v.version FROM plugin_installations i JOIN plugin_versions v ON v.id = i.version_id
       WHERE i.workspace_id = $1 AND i.name = $2`,
    [ws, name],
  );
  return row?.version;
}

export const ed25519Key = () =>
  generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).toString('base64');

/** The credential `principal` uses in workspace `ws` (joining it or minting a key as needed). */
export async function seat(principal: Principal, ws: string): Promise<Auth> {
  if (principal.kind === 'key') {
    if (ws === shared) return sharedKeys[principal.role];
    return (await rig.apiKey(owner, ws, principal.role)).auth;
  }
  if (principal.role === 'owner') return owner.auth;
  const user = roleUsers[principal.role];
  if (ws !== shared) await rig.addMember(owner, ws, user, principal.role);
  return user.auth;
}

/** A number no earlier call returned: unique names for the rows' targets. */
export function nextUniq(): number {
  uniq += 1;
  return uniq;
}

/** The owner, a member per role, the shared workspace and its keys; the echo module. */
export async function setUpMatrix(): Promise<void> {
  echoModule = Buffer.from(await wasmOf(WAT.echo)).toString('base64');
  owner = await rig.user('owner');
  for (const role of ['admin', 'editor', 'viewer'] as const) roleUsers[role] = await rig.user(role);
  shared = await rig.workspace(owner, { connect: true });
  for (const role of ['admin', 'editor', 'viewer'] as const)
    await rig.addMember(owner, shared, roleUsers[role], role);
  for (const role of ROLES) sharedKeys[role] = (await rig.apiKey(owner, shared, role)).auth;
}
