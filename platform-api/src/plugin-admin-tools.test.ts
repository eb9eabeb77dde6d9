import { pluginAdminTools, runTool, type ToolContext } from '@airsuite/tools';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PluginManifestInput } from './plugins/manifest.ts';
import { WAT, wasmOf } from './plugins/testing/wat-fixtures.ts';
import type { WorkspaceAccess } from './principal.ts';
import { type RigUser, usePlatformRig } from './testing/platform-rig.ts';

/**
 * The plugin tools through the real platform: the REST tool route and `runTool` (as MCP and
 * the chat run them), the test database and the Wasm runtime. Roles are the services' to
 * check; a plugin's failures keep the codes its own tools report.
 */

const rig = usePlatformRig({ webhooks: { deliver: false } });

type Auth = { authorization: string };

const echoer = (version: string): PluginManifestInput => ({
  name: 'echoer',
  version,
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
});

let owner: RigUser;
let editor: RigUser;
let viewer: RigUser;
let ws = '';
let ownerAccess: WorkspaceAccess;

const tool = (name: string, auth: Auth, body: unknown = {}) =>
  rig.call('POST', `/v1/workspaces/${ws}/tools/${name}`, { auth, body });

/** A tool's `{ output, text }`, or the test fails with the problem the platform answered. */
async function output(name: string, auth: Auth, body: unknown = {}) {
  const response = await tool(name, auth, body);
  if (response.statusCode !== 200) throw new Error(`${name}: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** runTool as the MCP server and the chat call it, with the context the platform gives `user`. */
async function runAs(user: RigUser, name: string, input: unknown) {
  const platform = rig.platform();
  const access = await platform.workspaces.access(await platform.authenticate(user.accessToken), ws);
  // The owners' catalogue: a tool the caller is not even listed must still be refused when called.
  const definition = (await platform.tools.catalogueFor({ ...access, role: 'owner' })).tools.find(
    (t) => t.name === name,
  );
  if (!definition) throw new Error(`no tool ${name}`);
  const context: ToolContext = {
    ...(await platform.tools.contextFor(access)),
    progress: () => {},
    signal: new AbortController().signal,
    log: () => {},
  };
  return runTool(definition, input, context);
}

const names = async (auth: Auth): Promise<string[]> =>
  (await rig.call('GET', `/v1/workspaces/${ws}/tools`, { auth }))
    .json()
    .tools.map((t: { name: string }) => t.name);

beforeAll(async () => {
  owner = await rig.user('owner');
  editor = await rig.user('editor');
  viewer = await rig.user('viewer');
  ws = await rig.workspace(owner, { connect: true });
  await rig.addMember(owner, ws, editor, 'editor');
  await rig.addMember(owner, ws, viewer, 'viewer');
  const platform = rig.platform();
  ownerAccess = await platform.workspaces.access(await platform.authenticate(owner.accessToken), ws);
  const module = await wasmOf(WAT.echo);
  // Published over REST or the CLI; the tools only install what is published.
  await platform.plugins.registry.publish(ownerAccess, { manifest: echoer('1.0.0'), module });
}, 60_000);

describe('an admin through the plugin tools', () => {
  it('lists no plugins before any is installed', async () => {
    const { output: out, text } = await output('list_plugins', owner.auth);
    expect(out).toEqual({ plugins: [] });
    expect(text).toBe('No plugins.');
  });

  it('installs a published version; it is then listed, enabled, with its functions by tool name', async () => {
    const { output: out, text } = await output('install_plugin', owner.auth, {
      name: 'echoer',
      version: '1.0.0',
      config: { greeting: 'hello' },
    });
    expect(out.plugin).toMatchObject({ name: 'echoer', version: '1.0.0', status: 'enabled' });
    expect(text).toMatch(/^Installed echoer 1\.0\.0 enabled/);

    const { output: listed } = await output('list_plugins', viewer.auth);
    expect(listed.plugins).toEqual([
      {
        name: 'echoer',
        version: '1.0.0',
        description: 'Echoes',
        status: 'enabled',
        functions: [
          {
            name: 'echo',
            tool: 'plugin_echoer_echo',
            description: 'Returns the object it is given, unchanged.',
            read_only: true,
          },
          {
            name: 'noop',
            tool: 'plugin_echoer_noop',
            description: 'Does nothing, and says nothing.',
            read_only: false,
          },
        ],
        hooks: [],
        installed_at: expect.any(String),
        updated_at: expect.any(String),
      },
    ]);
    // Its settings are the plugin's, not the model's to read.
    expect(JSON.stringify(listed)).not.toContain('hello');
    expect(await names(owner.auth)).toContain('plugin_echoer_echo');
  });

  it('installing the same name again keeps the plugin code of the refusal', async () => {
    const outcome = await runAs(owner, 'install_plugin', { name: 'echoer', version: '1.0.0' });
    expect(outcome).toMatchObject({ ok: false, details: { plugin_code: 'PLUGIN_ALREADY_INSTALLED' } });
  });

  it('runs a function: the echo output, non-ASCII intact', async () => {
    const { output: out } = await output('run_plugin_function', owner.auth, {
      plugin: 'echoer',
      function: 'echo',
      input: { text: 'Grüße — 日本' },
    });
    expect(out).toEqual({ output: { text: 'Grüße — 日本' } });
  });

  it("checks the input against the function's input_schema, as the REST run route does", async () => {
    const outcome = await runAs(owner, 'run_plugin_function', {
      plugin: 'echoer',
      function: 'echo',
      input: { text: 7 },
    });
    expect(outcome).toMatchObject({
      ok: false,
      code: 'TOOL_INVALID_INPUT',
      details: { platformCode: 'VALIDATION_FAILED' },
    });
    if (!outcome.ok) expect(outcome.message).toMatch(/input\.text/);
  });

  it('disables it: listed disabled, its tools gone, running it refused; enabling brings them back', async () => {
    const { output: off } = await output('set_plugin_enabled', owner.auth, {
      name: 'echoer',
      enabled: false,
    });
    expect(off.plugin).toMatchObject({ name: 'echoer', status: 'disabled' });
    expect((await output('list_plugins', owner.auth)).output.plugins[0].status).toBe('disabled');
    expect(await names(owner.auth)).not.toContain('plugin_echoer_echo');
    const refused = await runAs(owner, 'run_plugin_function', {
      plugin: 'echoer',
      function: 'echo',
      input: { text: 'x' },
    });
    expect(refused).toMatchObject({
      ok: false,
      code: 'TOOL_UNAVAILABLE',
      details: { plugin_code: 'PLUGIN_DISABLED' },
    });

    const { output: on } = await output('set_plugin_enabled', owner.auth, { name: 'echoer', enabled: true });
    expect(on.plugin).toMatchObject({ status: 'enabled' });
    expect(await names(owner.auth)).toContain('plugin_echoer_echo');
  });

  it('lists a quarantine with its reason, and enabling lifts it', async () => {
    await rig
      .db()
      .query(
        "UPDATE plugin_installations SET status = 'quarantined', status_reason = $3 WHERE workspace_id = $1 AND name = $2",
        [ws, 'echoer', '3 faults in a row, the last PLUGIN_TIMEOUT'],
      );
    const { output: listed, text } = await output('list_plugins', owner.auth);
    expect(listed.plugins[0]).toMatchObject({
      status: 'quarantined',
      status_reason: '3 faults in a row, the last PLUGIN_TIMEOUT',
    });
    expect(text).toContain('quarantined (3 faults in a row, the last PLUGIN_TIMEOUT)');

    const { output: lifted } = await output('set_plugin_enabled', owner.auth, {
      name: 'echoer',
      enabled: true,
    });
    expect(lifted.plugin.status).toBe('enabled');
    expect(lifted.plugin.status_reason).toBeUndefined();
    const ran = await output('run_plugin_function', owner.auth, {
      plugin: 'echoer',
      function: 'echo',
      input: { text: 'back' },
    });
    expect(ran.output).toEqual({ output: { text: 'back' } });
  });
});

describe('refusals a model can act on', () => {
  it('an unknown plugin keeps its plugin code, and the message says where names come from', async () => {
    for (const [name, input] of [
      ['set_plugin_enabled', { name: 'nosuch', enabled: true }],
      ['run_plugin_function', { plugin: 'nosuch', function: 'echo', input: {} }],
    ] as const) {
      const outcome = await runAs(owner, name, input);
      expect(outcome).toMatchObject({
        ok: false,
        code: 'TOOL_UNAVAILABLE',
        details: { plugin_code: 'PLUGIN_NOT_FOUND' },
      });
      if (!outcome.ok) expect(outcome.message).toMatch(/list_plugins/);
    }
    const overRest = await tool('set_plugin_enabled', owner.auth, { name: 'nosuch', enabled: false });
    expect({ code: overRest.json().code, plugin: overRest.json().plugin_code }).toEqual({
      code: 'TOOL_UNAVAILABLE',
      plugin: 'PLUGIN_NOT_FOUND',
    });
  });

  it('an unpublished version and an undeclared function keep their plugin codes', async () => {
    expect(await runAs(owner, 'install_plugin', { name: 'other', version: '9.9.9' })).toMatchObject({
      ok: false,
      details: { plugin_code: 'PLUGIN_VERSION_NOT_FOUND' },
    });
    expect(
      await runAs(owner, 'run_plugin_function', { plugin: 'echoer', function: 'before_write', input: {} }),
    ).toMatchObject({ ok: false, details: { plugin_code: 'PLUGIN_FUNCTION_NOT_FOUND' } });
  });
});

describe('by role', () => {
  const ADMIN_ONLY = ['install_plugin', 'set_plugin_enabled'];

  it('editors and viewers are listed list_plugins and run_plugin_function, not installing or enabling', async () => {
    for (const user of [editor, viewer]) {
      const listed = await names(user.auth);
      expect(listed).toEqual(expect.arrayContaining(['list_plugins', 'run_plugin_function']));
      expect(listed.filter((name) => ADMIN_ONLY.includes(name))).toEqual([]);
    }
    expect(await names(owner.auth)).toEqual(expect.arrayContaining(pluginAdminTools.map((t) => t.name)));
  });

  it('an editor calling install_plugin is TOOL_NOT_ALLOWED (runTool) or not found (REST)', async () => {
    const input = { name: 'echoer', version: '1.0.0' };
    expect(await runAs(editor, 'install_plugin', input)).toMatchObject({
      ok: false,
      code: 'TOOL_NOT_ALLOWED',
      details: { requiredRole: 'admin' },
    });
    const overRest = await tool('install_plugin', editor.auth, input);
    expect({ status: overRest.statusCode, code: overRest.json().code }).toEqual({
      status: 404,
      code: 'TOOL_NOT_FOUND',
    });
  });

  it('a viewer runs a read-only function, and is refused one that is not (the function’s role)', async () => {
    const ran = await output('run_plugin_function', viewer.auth, {
      plugin: 'echoer',
      function: 'echo',
      input: { text: 'seen' },
    });
    expect(ran.output).toEqual({ output: { text: 'seen' } });
    expect(
      await runAs(viewer, 'run_plugin_function', { plugin: 'echoer', function: 'noop', input: {} }),
    ).toMatchObject({ ok: false, code: 'TOOL_NOT_ALLOWED', details: { platformCode: 'FORBIDDEN' } });
    expect(
      await runAs(editor, 'run_plugin_function', { plugin: 'echoer', function: 'noop', input: {} }),
    ).toMatchObject({ ok: true, output: { output: null } });
  });
});
