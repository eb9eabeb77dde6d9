import { beforeEach, describe, expect, it } from 'vitest';
import { type RigUser, usePlatformRig } from './testing/platform-rig.ts';

/**
 * An API key cannot outrank the member who made it: when a member leaves, is removed or is
 * demoted, the keys they made above their new standing stop working on the next request.
 * Otherwise a removed admin would keep the workspace through a key whose secret they hold.
 */

const rig = usePlatformRig();
let owner: RigUser;
let admin: RigUser;
let workspace = '';

beforeEach(async () => {
  owner = await rig.user('owner');
  admin = await rig.user('admin');
  workspace = await rig.workspace(owner);
  await rig.addMember(owner, workspace, admin, 'admin');
});

const me = (auth: { authorization: string }) => rig.call('GET', '/v1/me', { auth });
const codeOf = async (auth: { authorization: string }) => {
  const response = await me(auth);
  return response.statusCode === 200 ? 'OK' : (response.json().code as string);
};

async function auditDetails(action: string): Promise<Record<string, unknown> | undefined> {
  const [row] = await rig
    .db()
    .query<{ details: Record<string, unknown> }>(
      'SELECT details FROM audit_events WHERE workspace_id = $1 AND action = $2 ORDER BY at DESC LIMIT 1',
      [workspace, action],
    );
  return row?.details;
}

describe("a member's API keys", () => {
  it('stop when the member is removed; keys made by others go on', async () => {
    const theirs = await rig.apiKey(admin, workspace, 'editor');
    const ours = await rig.apiKey(owner, workspace, 'editor');
    expect(await codeOf(theirs.auth)).toBe('OK'); // cached now
    const removed = await rig.call('DELETE', `/v1/workspaces/${workspace}/members/${admin.id}`, {
      auth: owner.auth,
    });
    expect(removed.statusCode).toBe(204);
    expect(await codeOf(theirs.auth)).toBe('AUTH_API_KEY_REVOKED');
    expect(await codeOf(ours.auth)).toBe('OK');
    expect(await auditDetails('member.remove')).toMatchObject({ api_keys_revoked: 1 });
  });

  it('stop when the member leaves', async () => {
    const theirs = await rig.apiKey(admin, workspace, 'viewer');
    const left = await rig.call('DELETE', `/v1/workspaces/${workspace}/members/${admin.id}`, {
      auth: admin.auth,
    });
    expect(left.statusCode).toBe(204);
    expect(await codeOf(theirs.auth)).toBe('AUTH_API_KEY_REVOKED');
    expect(await auditDetails('member.leave')).toMatchObject({ api_keys_revoked: 1 });
  });

  it('above the new role stop when the member is demoted; the rest go on', async () => {
    const adminKey = await rig.apiKey(admin, workspace, 'admin');
    const editorKey = await rig.apiKey(admin, workspace, 'editor');
    const viewerKey = await rig.apiKey(admin, workspace, 'viewer');
    expect(await codeOf(adminKey.auth)).toBe('OK');
    const demoted = await rig.call('PATCH', `/v1/workspaces/${workspace}/members/${admin.id}`, {
      auth: owner.auth,
      body: { role: 'editor' },
    });
    expect(demoted.statusCode).toBe(200);
    expect(await codeOf(adminKey.auth)).toBe('AUTH_API_KEY_REVOKED');
    expect(await codeOf(editorKey.auth)).toBe('OK');
    expect(await codeOf(viewerKey.auth)).toBe('OK');
    expect(await auditDetails('member.update')).toMatchObject({ role: 'editor', api_keys_revoked: 1 });
  });

  it('all stay when the member is promoted', async () => {
    const key = await rig.apiKey(admin, workspace, 'admin');
    const promoted = await rig.call('PATCH', `/v1/workspaces/${workspace}/members/${admin.id}`, {
      auth: owner.auth,
      body: { role: 'owner' },
    });
    expect(promoted.statusCode).toBe(200);
    expect(await codeOf(key.auth)).toBe('OK');
    expect(await auditDetails('member.update')).toMatchObject({ api_keys_revoked: 0 });
  });
});
