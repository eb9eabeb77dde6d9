import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WorkspaceAccess } from '../principal.ts';
import { type RigUser, usePlatformRig } from '../testing/platform-rig.ts';
import type { PluginManifestInput } from './manifest.ts';
import { WAT, wasmOf } from './testing/wat-fixtures.ts';

/**
 * An installed plugin's functions are tools of its workspace, `plugin_<name>_<function>`, with
 * the manifest's schemas and hints, filtered by role like every tool, called through the same
 * runTool (validated, audited), failing with a code and the plugin's reason the model can read.
 */

const rig = usePlatformRig({ webhooks: { deliver: false } });

let owner: RigUser;
let viewer: RigUser;
let workspace = '';
let access: WorkspaceAccess;
let echo: Uint8Array;
let fail: Uint8Array;

const manifest: PluginManifestInput = {
  name: 'echoer',
  version: '1.2.0',
  description: 'Echoes',
  author: 'AirSuite specs',
  functions: [
    {
      name: 'echo',
      description: 'Returns the object it is given, unchanged.',
      input_schema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
      annotations: { readOnlyHint: true, title: 'Echo' },
    },
    { name: 'noop', description: 'Does nothing, and says nothing.', input_schema: { type: 'object' } },
  ],
};

const tool = (name: string, auth: { authorization: string }, body: unknown) =>
  rig.call('POST', `/v1/workspaces/${workspace}/tools/${name}`, { auth, body });

beforeAll(async () => {
  echo = await wasmOf(WAT.echo);
  fail = await wasmOf(WAT.fail);
});

beforeEach(async () => {
  owner = await rig.user('owner');
  viewer = await rig.user('viewer');
  workspace = await rig.workspace(owner, { connect: true });
  await rig.addMember(owner, workspace, viewer, 'viewer');
  const platform = rig.platform();
  access = await platform.workspaces.access(await platform.authenticate(owner.accessToken), workspace);
  await platform.plugins.registry.publish(access, { manifest, module: echo });
  await platform.plugins.registry.install(access, { name: 'echoer', version: '1.2.0' });
});

describe('plugin functions as tools', () => {
  it("join the workspace's catalogue with the manifest's schema and hints", async () => {
    const { tools } = await rig.platform().tools.catalogueFor(access);
    const echoTool = tools.find((t) => t.name === 'plugin_echoer_echo');
    expect(echoTool).toMatchObject({
      title: 'Echo',
      description: 'Returns the object it is given, unchanged. (plugin echoer 1.2.0)',
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      minimumRole: 'viewer',
    });
    expect(tools.find((t) => t.name === 'plugin_echoer_noop')?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
    });
  });

  it('are called over REST like any tool, input validated by their schema, non-ASCII intact', async () => {
    const called = await tool('plugin_echoer_echo', owner.auth, { text: 'Grüße — 日本' });
    expect(called.statusCode).toBe(200);
    expect(called.json()).toMatchObject({ output: { text: 'Grüße — 日本' } });
    const invalid = await tool('plugin_echoer_echo', owner.auth, { text: 7 });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().code).toBe('TOOL_INVALID_INPUT');
  });

  it("follow the caller's role: a viewer sees the read-only function only", async () => {
    const listed = await rig.call('GET', `/v1/workspaces/${workspace}/tools`, { auth: viewer.auth });
    const names = (listed.json().tools as { name: string }[]).map((t) => t.name);
    expect(names).toContain('plugin_echoer_echo');
    expect(names).not.toContain('plugin_echoer_noop');
    expect((await tool('plugin_echoer_noop', viewer.auth, {})).json().code).toBe('TOOL_NOT_FOUND');
  });

  it('leave the catalogue when the plugin is disabled, and come back when enabled', async () => {
    const { registry } = rig.platform().plugins;
    await registry.setEnabled(access, 'echoer', false);
    expect((await rig.platform().tools.catalogueFor(access)).tools.map((t) => t.name)).not.toContain(
      'plugin_echoer_echo',
    );
    await registry.setEnabled(access, 'echoer', true);
    expect((await rig.platform().tools.catalogueFor(access)).tools.map((t) => t.name)).toContain(
      'plugin_echoer_echo',
    );
  });

  it("fail with TOOL_PLUGIN_FAILED and the plugin's own reason", async () => {
    const platform = rig.platform();
    await platform.plugins.registry.publish(access, {
      manifest: {
        name: 'failer',
        version: '1.0.0',
        description: 'Fails',
        author: 'AirSuite specs',
        functions: [
          { name: 'fail', description: 'Reports its input as an error.', input_schema: { type: 'object' } },
        ],
      },
      module: fail,
    });
    await platform.plugins.registry.install(access, { name: 'failer', version: '1.0.0' });
    const failed = await tool('plugin_failer_fail', owner.auth, { why: 'no owner' });
    expect(failed.statusCode).toBe(502);
    expect(failed.json()).toMatchObject({
      code: 'TOOL_PLUGIN_FAILED',
      detail: 'plugin function "fail" reported an error: {"why":"no owner"}',
      plugin_code: 'PLUGIN_FUNCTION_FAILED',
    });
  });

  it('are not in another workspace', async () => {
    const other = await rig.workspace(owner);
    const listed = await rig.call('GET', `/v1/workspaces/${other}/tools`, { auth: owner.auth });
    expect(
      (listed.json().tools as { name: string }[]).map((t) => t.name).filter((n) => n.startsWith('plugin_')),
    ).toEqual([]);
  });
});
