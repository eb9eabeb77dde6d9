import { generateKeyPairSync, sign } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WorkspaceAccess } from '../principal.ts';
import { type RigUser, usePlatformRig } from '../testing/platform-rig.ts';
import type { PluginManifestInput } from './manifest.ts';
import { signedMessage } from './plugin-signature.ts';
import { WAT, wasmOf } from './testing/wat-fixtures.ts';

/**
 * A workspace's plugins: admins publish immutable versions, install one, move between versions
 * (upgrade, rollback), disable, enable and uninstall; each change is audited and emits its event
 * in the same transaction. A workspace can require signatures from keys it trusts.
 */

const rig = usePlatformRig({ webhooks: { deliver: false } });

let owner: RigUser;
let editor: RigUser;
let workspace = '';
let ownerAccess: WorkspaceAccess;
let editorAccess: WorkspaceAccess;
let echo: Uint8Array;

const manifest = (version: string): PluginManifestInput => ({
  name: 'echoer',
  version,
  description: 'Echoes its input',
  author: 'AirSuite specs',
  functions: [
    { name: 'echo', description: 'Returns what it is given, unchanged.', input_schema: { type: 'object' } },
  ],
});

const registry = () => rig.platform().plugins.registry;
const trust = () => rig.platform().plugins.trust;

async function accessOf(user: RigUser): Promise<WorkspaceAccess> {
  const platform = rig.platform();
  return platform.workspaces.access(await platform.authenticate(user.accessToken), workspace);
}

async function eventsOf(type: string): Promise<Record<string, unknown>[]> {
  const rows = await rig
    .db()
    .query<{ payload: string }>(
      'SELECT payload::text AS payload FROM webhook_events WHERE workspace_id = $1 AND type = $2 ORDER BY seq',
      [workspace, type],
    );
  return rows.map((r) => JSON.parse(r.payload).data);
}

beforeAll(async () => {
  echo = await wasmOf(WAT.echo);
});

beforeEach(async () => {
  owner = await rig.user('owner');
  editor = await rig.user('editor');
  workspace = await rig.workspace(owner);
  await rig.addMember(owner, workspace, editor, 'editor');
  ownerAccess = await accessOf(owner);
  editorAccess = await accessOf(editor);
});

describe('publishing and installing', () => {
  it('publishes a version, installs it enabled, and emits plugin.installed', async () => {
    const published = await registry().publish(ownerAccess, { manifest: manifest('1.0.0'), module: echo });
    expect(published).toMatchObject({ name: 'echoer', version: '1.0.0', author: 'AirSuite specs' });
    const installed = await registry().install(ownerAccess, { name: 'echoer', version: '1.0.0' });
    expect(installed).toMatchObject({ name: 'echoer', version: '1.0.0', status: 'enabled', config: {} });
    expect(await registry().list(ownerAccess)).toEqual([installed]);
    expect(await eventsOf('plugin.installed')).toEqual([
      { plugin: 'echoer', version: '1.0.0', sha256: published.sha256 },
    ]);
  });

  it('never changes a published version, and installs a name once', async () => {
    await registry().publish(ownerAccess, { manifest: manifest('1.0.0'), module: echo });
    await expect(
      registry().publish(ownerAccess, { manifest: manifest('1.0.0'), module: echo }),
    ).rejects.toMatchObject({
      code: 'PLUGIN_VERSION_EXISTS',
      status: 409,
    });
    await registry().install(ownerAccess, { name: 'echoer', version: '1.0.0' });
    await expect(registry().install(ownerAccess, { name: 'echoer', version: '1.0.0' })).rejects.toMatchObject(
      {
        code: 'PLUGIN_ALREADY_INSTALLED',
      },
    );
    await expect(registry().install(ownerAccess, { name: 'echoer', version: '9.9.9' })).rejects.toMatchObject(
      {
        code: 'PLUGIN_VERSION_NOT_FOUND',
        status: 404,
      },
    );
  });

  it('refuses an invalid plugin with every problem, as a 422', async () => {
    await expect(
      registry().publish(ownerAccess, { manifest: { ...manifest('1.0.0'), name: 'Bad' }, module: echo }),
    ).rejects.toMatchObject({
      code: 'PLUGIN_INVALID',
      status: 422,
      details: { problems: [expect.stringMatching(/^manifest\.name/)] },
    });
  });

  it('is for admins: an editor may list but not publish, install or change', async () => {
    await expect(
      registry().publish(editorAccess, { manifest: manifest('1.0.0'), module: echo }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await registry().publish(ownerAccess, { manifest: manifest('1.0.0'), module: echo });
    await expect(
      registry().install(editorAccess, { name: 'echoer', version: '1.0.0' }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await registry().install(ownerAccess, { name: 'echoer', version: '1.0.0' });
    expect((await registry().list(editorAccess)).map((p) => p.name)).toEqual(['echoer']);
    await expect(registry().setEnabled(editorAccess, 'echoer', false)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});

describe('versions', () => {
  it('upgrades, rolls back to the version before, and says which it was', async () => {
    await registry().publish(ownerAccess, { manifest: manifest('1.0.0'), module: echo });
    await registry().publish(ownerAccess, { manifest: manifest('1.10.0'), module: echo });
    await registry().install(ownerAccess, { name: 'echoer', version: '1.0.0' });
    const upgraded = await registry().changeVersion(ownerAccess, 'echoer', '1.10.0');
    expect(upgraded).toMatchObject({ version: '1.10.0', previousVersion: '1.0.0' });
    const back = await registry().rollback(ownerAccess, 'echoer');
    expect(back).toMatchObject({ version: '1.0.0', previousVersion: '1.10.0' });
    expect(await eventsOf('plugin.version_changed')).toEqual([
      { plugin: 'echoer', version: '1.10.0', previous_version: '1.0.0', change: 'upgrade' },
      { plugin: 'echoer', version: '1.0.0', previous_version: '1.10.0', change: 'rollback' },
    ]);
    expect((await registry().versions(ownerAccess, 'echoer')).map((v) => v.version)).toEqual([
      '1.0.0',
      '1.10.0',
    ]);
  });

  it('has nothing to roll back to right after installing', async () => {
    await registry().publish(ownerAccess, { manifest: manifest('1.0.0'), module: echo });
    await registry().install(ownerAccess, { name: 'echoer', version: '1.0.0' });
    await expect(registry().rollback(ownerAccess, 'echoer')).rejects.toMatchObject({
      code: 'PLUGIN_NO_PREVIOUS_VERSION',
      status: 409,
    });
  });
});

describe('enabling, disabling and uninstalling', () => {
  it('disables and enables with their events, and uninstalling removes it and its stored data', async () => {
    await registry().publish(ownerAccess, { manifest: manifest('1.0.0'), module: echo });
    await registry().install(ownerAccess, { name: 'echoer', version: '1.0.0' });
    expect(await registry().setEnabled(ownerAccess, 'echoer', false)).toMatchObject({ status: 'disabled' });
    expect(await registry().setEnabled(ownerAccess, 'echoer', true)).toMatchObject({ status: 'enabled' });
    await rig
      .db()
      .query(
        `INSERT INTO plugin_kv (workspace_id, plugin, key, value, updated_at) VALUES ($1, 'echoer', 'k', '1', now())`,
        [workspace],
      );
    await registry().uninstall(ownerAccess, 'echoer');
    expect(await registry().list(ownerAccess)).toEqual([]);
    expect(await rig.db().query('SELECT 1 FROM plugin_kv WHERE workspace_id = $1', [workspace])).toEqual([]);
    expect(await eventsOf('plugin.disabled')).toHaveLength(1);
    expect(await eventsOf('plugin.enabled')).toHaveLength(1);
    expect(await eventsOf('plugin.uninstalled')).toEqual([{ plugin: 'echoer', version: '1.0.0' }]);
    await expect(registry().get(ownerAccess, 'echoer')).rejects.toMatchObject({
      code: 'PLUGIN_NOT_FOUND',
      status: 404,
    });
  });

  it('audits each change with its actor', async () => {
    await registry().publish(ownerAccess, { manifest: manifest('1.0.0'), module: echo });
    await registry().install(ownerAccess, { name: 'echoer', version: '1.0.0' });
    const rows = await rig
      .db()
      .query<{ action: string; actor_id: string; target_id: string }>(
        `SELECT action, actor_id, target_id FROM audit_events WHERE workspace_id = $1 AND action LIKE 'plugin.%' ORDER BY seq`,
        [workspace],
      );
    expect(rows).toEqual([
      { action: 'plugin.published', actor_id: owner.id, target_id: 'echoer' },
      { action: 'plugin.installed', actor_id: owner.id, target_id: 'echoer' },
    ]);
  });
});

describe('signatures', () => {
  const keys = generateKeyPairSync('ed25519');
  const publicKey = keys.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  const signatureOf = async (m: unknown, bytes: Uint8Array) => {
    const { createHash } = await import('node:crypto');
    const sha = createHash('sha256').update(bytes).digest('hex');
    return sign(null, signedMessage(sha, m), keys.privateKey).toString('base64');
  };

  it('refuses an unsigned plugin where signatures are required, and accepts one signed by a trusted key', async () => {
    await trust().updateSettings(ownerAccess, { requireSignatures: true });
    await expect(
      registry().publish(ownerAccess, { manifest: manifest('1.0.0'), module: echo }),
    ).rejects.toMatchObject({
      code: 'PLUGIN_SIGNATURE_REQUIRED',
    });
    await trust().addKey(ownerAccess, { id: 'release', name: 'Release key', publicKey });
    const m = manifest('1.0.0');
    const published = await registry().publish(ownerAccess, {
      manifest: m,
      module: echo,
      signature: { keyId: 'release', signature: await signatureOf(m, echo) },
    });
    expect(published.signedBy).toBe('release');
  });

  it('refuses a signature over another manifest, or by a key not trusted', async () => {
    await trust().addKey(ownerAccess, { id: 'release', name: 'Release key', publicKey });
    const signature = await signatureOf(manifest('1.0.0'), echo);
    await expect(
      registry().publish(ownerAccess, {
        manifest: manifest('1.0.1'),
        module: echo,
        signature: { keyId: 'release', signature },
      }),
    ).rejects.toMatchObject({
      code: 'PLUGIN_SIGNATURE_INVALID',
      message: 'the signature does not match this module and manifest',
    });
    await expect(
      registry().publish(ownerAccess, {
        manifest: manifest('1.0.0'),
        module: echo,
        signature: { keyId: 'other', signature },
      }),
    ).rejects.toMatchObject({ code: 'PLUGIN_SIGNATURE_INVALID' });
    await expect(
      trust().addKey(ownerAccess, { id: 'bad', name: 'Not a key', publicKey: 'bm90IGEga2V5' }),
    ).rejects.toMatchObject({
      code: 'PLUGIN_SIGNATURE_INVALID',
    });
  });
});
