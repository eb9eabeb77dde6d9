import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, type RigUser, usePlatformRig } from './testing/platform-rig.ts';

/**
 * Who may become, stay and stop being an owner, and what API keys may not do, beyond the
 * role-by-endpoint matrix (permission-matrix.test.ts).
 */

const rig = usePlatformRig();
const ROLES = ['owner', 'admin', 'editor', 'viewer'] as const;
type Role = (typeof ROLES)[number];

let owner: RigUser;
const roleUsers = {} as Record<Exclude<Role, 'owner'>, RigUser>;
let shared: string;
const sharedKeys = {} as Record<Role, { authorization: string }>;

beforeAll(async () => {
  owner = await rig.user('owner');
  for (const role of ['admin', 'editor', 'viewer'] as const) roleUsers[role] = await rig.user(role);
  shared = await rig.workspace(owner);
  for (const role of ROLES) sharedKeys[role] = (await rig.apiKey(owner, shared, role)).auth;
}, 60_000);

/** A new account made a member of `ws` with `role` by the owner. */
async function memberWithRole(ws: string, role: Role): Promise<string> {
  const email = `target-${randomBytes(4).toString('hex')}@example.com`;
  const registered = await rig.call('POST', '/v1/auth/register', { body: { email, password: PASSWORD } });
  expect(registered.statusCode).toBe(201);
  const added = await rig.call('POST', `/v1/workspaces/${ws}/members`, {
    auth: owner.auth,
    body: { email, role },
  });
  expect(added.statusCode).toBe(201);
  return registered.json().id;
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

describe('owners and keys', () => {
  it('keeps the last owner: no demotion, no leaving, not even through an owner key', async () => {
    const ws = await rig.workspace(owner);
    const ownerKey = await rig.apiKey(owner, ws, 'owner');
    const demote = await rig.call('PATCH', `/v1/workspaces/${ws}/members/${owner.id}`, {
      auth: owner.auth,
      body: { role: 'admin' },
    });
    const leave = await rig.call('DELETE', `/v1/workspaces/${ws}/members/${owner.id}`, { auth: owner.auth });
    const removeByKey = await rig.call('DELETE', `/v1/workspaces/${ws}/members/${owner.id}`, {
      auth: ownerKey.auth,
    });
    const demoteByKey = await rig.call('PATCH', `/v1/workspaces/${ws}/members/${owner.id}`, {
      auth: ownerKey.auth,
      body: { role: 'viewer' },
    });
    for (const response of [demote, leave, removeByKey, demoteByKey]) {
      expect({ status: response.statusCode, code: response.json().code }).toEqual({
        status: 409,
        code: 'LAST_OWNER',
      });
    }
    expect(await roleOf(ws, owner.id)).toBe('owner');
  });

  it('lets an owner step down once another owner exists', async () => {
    const ws = await rig.workspace(owner);
    await memberWithRole(ws, 'owner');
    const demote = await rig.call('PATCH', `/v1/workspaces/${ws}/members/${owner.id}`, {
      auth: owner.auth,
      body: { role: 'admin' },
    });
    expect(demote.statusCode).toBe(200);
    expect(await roleOf(ws, owner.id)).toBe('admin');
  });

  it.each(['admin', 'editor', 'viewer'] as const)('lets the %s leave on their own', async (role) => {
    const ws = await rig.workspace(owner);
    const user = roleUsers[role];
    await rig.addMember(owner, ws, user, role);
    const leave = await rig.call('DELETE', `/v1/workspaces/${ws}/members/${user.id}`, { auth: user.auth });
    expect(leave.statusCode).toBe(204);
    expect(await roleOf(ws, user.id)).toBeUndefined();
  });

  it.each(ROLES)('refuses to let a %s API key create a workspace', async (role) => {
    const created = await rig.call('POST', '/v1/workspaces', {
      auth: sharedKeys[role],
      body: { name: 'From a key' },
    });
    expect({ status: created.statusCode, code: created.json().code }).toEqual({
      status: 403,
      code: 'AUTH_USER_TOKEN_REQUIRED',
    });
  });

  it('answers a non-member with WORKSPACE_NOT_FOUND, never FORBIDDEN', async () => {
    const outsider = await rig.user('outsider');
    for (const url of [`/v1/workspaces/${shared}`, `/v1/workspaces/${shared}/api-keys`]) {
      const response = await rig.call('GET', url, { auth: outsider.auth });
      expect({ status: response.statusCode, code: response.json().code }).toEqual({
        status: 404,
        code: 'WORKSPACE_NOT_FOUND',
      });
    }
  });
});
