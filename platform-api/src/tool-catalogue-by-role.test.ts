import { type WorkspaceRole, webhookTools } from '@airsuite/tools';
import { beforeAll, describe, expect, it } from 'vitest';
import { type RigUser, usePlatformRig } from './testing/platform-rig.ts';

/**
 * What each role is offered as tools (the catalogue route), for users and their API keys alike,
 * and that a tool hidden from a role is also refused when called: the route permission
 * matrix (permission-matrix.test.ts) covers every other route.
 */

const rig = usePlatformRig({ webhooks: { deliver: false } });
const ROLES = ['owner', 'admin', 'editor', 'viewer'] as const satisfies readonly WorkspaceRole[];
type Role = (typeof ROLES)[number];
type Auth = { authorization: string };

let owner: RigUser;
const roleUsers = {} as Record<Exclude<Role, 'owner'>, RigUser>;
let shared: string;
const sharedKeys = {} as Record<Role, Auth>;

beforeAll(async () => {
  owner = await rig.user('owner');
  for (const role of ['admin', 'editor', 'viewer'] as const) roleUsers[role] = await rig.user(role);
  shared = await rig.workspace(owner, { connect: true });
  for (const role of ['admin', 'editor', 'viewer'] as const)
    await rig.addMember(owner, shared, roleUsers[role], role);
  for (const role of ROLES) sharedKeys[role] = (await rig.apiKey(owner, shared, role)).auth;
}, 60_000);

interface ListedTool {
  name: string;
  annotations: { readOnlyHint?: boolean };
}

describe('GET /v1/workspaces/{id}/tools is exactly the role’s catalogue', () => {
  async function catalogue(auth: Auth): Promise<ListedTool[]> {
    const response = await rig.call('GET', `/v1/workspaces/${shared}/tools`, { auth });
    expect(response.statusCode).toBe(200);
    return response.json().tools;
  }
  const names = (tools: ListedTool[]) => tools.map((t) => t.name).sort();
  const writes = (tools: ListedTool[]) => tools.filter((t) => t.annotations.readOnlyHint === false);

  it('gives a viewer only read tools, and no audit log', async () => {
    const viewer = await catalogue(roleUsers.viewer.auth);
    // run_plugin_function is marked as a plugin's worst case; the function's role refuses a
    // viewer every function that is not read-only (plugin-admin-tools.test.ts).
    expect(writes(viewer).map((t) => t.name)).toEqual(['run_plugin_function']);
    expect(names(viewer)).toContain('list_plugins');
    expect(names(viewer)).toEqual(expect.arrayContaining(['list_bases', 'list_records', 'whoami']));
    expect(names(viewer)).not.toContain('list_audit_events');
    expect(names(viewer)).not.toContain('create_records');
    expect(names(viewer)).not.toContain('upload_attachment');
  });

  it('gives an editor the viewer’s tools plus the write tools and their operations, still no audit log', async () => {
    const viewer = await catalogue(roleUsers.viewer.auth);
    const editor = await catalogue(roleUsers.editor.auth);
    expect(writes(editor).map((t) => t.name)).toEqual(
      expect.arrayContaining(['create_records', 'upload_attachment']),
    );
    const added = names(writes(editor)).filter((name) => !names(viewer).includes(name));
    expect(names(editor)).toEqual([...names(viewer), ...added, 'get_operation', 'list_operations'].sort());
    expect(names(editor)).not.toContain('list_audit_events');
  });

  it('gives admins and owners the editor’s tools plus list_audit_events, the webhook tools and installing plugins', async () => {
    const editor = await catalogue(roleUsers.editor.auth);
    const admin = await catalogue(roleUsers.admin.auth);
    const webhook = webhookTools.map((tool) => tool.name);
    const plugins = ['install_plugin', 'set_plugin_enabled'];
    expect(names(admin)).toEqual([...names(editor), 'list_audit_events', ...webhook, ...plugins].sort());
    expect(names(await catalogue(owner.auth))).toEqual(names(admin));
  });

  it.each(ROLES)('gives an API key of role %s the same catalogue as a user of that role', async (role) => {
    const user = role === 'owner' ? owner : roleUsers[role];
    expect(names(await catalogue(sharedKeys[role]))).toEqual(names(await catalogue(user.auth)));
  });

  it('agrees with the call route: a tool missing from a viewer’s catalogue is TOOL_NOT_FOUND to call', async () => {
    const viewer = await catalogue(sharedKeys.viewer);
    const all = await catalogue(sharedKeys.owner);
    const hidden = all.filter((t) => !names(viewer).includes(t.name));
    expect(hidden.length).toBeGreaterThan(0);
    for (const tool of hidden) {
      // An empty body: the refusal must come before input validation (nothing about the schema leaks).
      const response = await rig.call('POST', `/v1/workspaces/${shared}/tools/${tool.name}`, {
        auth: sharedKeys.viewer,
        body: {},
      });
      expect({ tool: tool.name, status: response.statusCode, code: response.json().code }).toEqual({
        tool: tool.name,
        status: 404,
        code: 'TOOL_NOT_FOUND',
      });
      expect([...response.json().available_tools].sort()).toEqual(names(viewer));
    }
  });
});
