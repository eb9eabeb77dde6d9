import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RigUser, usePlatformRig, WAT, wasmOf } from '@airsuite/platform-api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingIo } from '../test-io.ts';
import { type PublishFlags, publishPlugin } from './publish-plugin.ts';

/**
 * `airsuite plugin publish DIR` against a running platform: it uploads DIR/manifest.json and
 * DIR/build/plugin.wasm, installs or upgrades with --install, signs with --sign-key, and says
 * what to do when the folder, the key, the plugin or the platform is not right.
 */

const rig = usePlatformRig({ webhooks: { deliver: false } });
let platformUrl = '';
let owner: RigUser;
const folders: string[] = [];

const manifest = (version: string, extra: Record<string, unknown> = {}) => ({
  name: 'echoer',
  version,
  description: 'Echoes what it is given',
  author: 'AirSuite specs',
  functions: [
    { name: 'echo', description: 'Returns the object it is given.', input_schema: { type: 'object' } },
  ],
  ...extra,
});

async function pluginFolder(content: Record<string, unknown> | string, built = true): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'airsuite-publish-'));
  folders.push(dir);
  await writeFile(
    join(dir, 'manifest.json'),
    typeof content === 'string' ? content : JSON.stringify(content),
  );
  if (built) {
    await mkdir(join(dir, 'build'));
    await writeFile(join(dir, 'build', 'plugin.wasm'), await wasmOf(WAT.echo));
  }
  return dir;
}

async function admin(workspace: string) {
  return {
    AIRSUITE_API_KEY: (await rig.apiKey(owner, workspace, 'admin')).key,
    AIRSUITE_PLATFORM_URL: platformUrl,
  };
}

const publish = (dir: string, env: Record<string, string>, flags: PublishFlags = {}) =>
  publishPlugin(dir, flags, recordingIo().io, env);

beforeAll(async () => {
  platformUrl = await rig.app().listen({ port: 0, host: '127.0.0.1' });
  owner = await rig.user('owner');
});

afterAll(async () => {
  await Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('airsuite plugin publish', () => {
  it("publishes a version into the key's workspace, installs it, then upgrades it", async () => {
    const ws = await rig.workspace(owner);
    const env = await admin(ws);
    const first = await publish(await pluginFolder(manifest('1.0.0')), env, { install: true });
    expect(first).toMatchObject({
      name: 'echoer',
      version: '1.0.0',
      workspaceId: ws,
      installed: 'installed',
    });
    expect(first.sha256).toMatch(/^[0-9a-f]{64}$/);
    const second = await publish(await pluginFolder(manifest('1.1.0')), env, { install: true });
    expect(second.installed).toBe('upgraded');
    const listed = await rig.call('GET', `/v1/workspaces/${ws}/plugins/echoer`, {
      auth: { authorization: `Bearer ${env.AIRSUITE_API_KEY}` },
    });
    expect(listed.json()).toMatchObject({ name: 'echoer', version: '1.1.0' });
    const ran = await rig.call('POST', `/v1/workspaces/${ws}/plugins/echoer/functions/echo`, {
      auth: { authorization: `Bearer ${env.AIRSUITE_API_KEY}` },
      body: { input: { text: 'Zoë' } },
    });
    expect(ran.json()).toMatchObject({ output: { text: 'Zoë' } });
  });

  it('prints every problem of an invalid plugin, one per line', async () => {
    const ws = await rig.workspace(owner);
    const bad = { ...manifest('one'), name: 'Bad Name' };
    const refused = await publish(await pluginFolder(bad), await admin(ws)).catch((e: Error) => e);
    expect(refused).toMatchObject({ exitCode: 2 });
    expect(String((refused as Error).message)).toMatch(
      /PLUGIN_INVALID\):\n {2}- manifest\.name.*\n {2}- manifest\.version/s,
    );
  });

  it('signs with --sign-key where the workspace requires signatures, and is refused unsigned', async () => {
    const ws = await rig.workspace(owner);
    const env = await admin(ws);
    const auth = { authorization: `Bearer ${env.AIRSUITE_API_KEY}` };
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const trusted = await rig.call('POST', `/v1/workspaces/${ws}/plugin-keys`, {
      auth,
      body: {
        id: 'release',
        name: 'Release key',
        public_key: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
      },
    });
    expect(trusted.statusCode).toBe(201);
    await rig.call('PATCH', `/v1/workspaces/${ws}/plugin-settings`, {
      auth,
      body: { require_signatures: true },
    });
    const dir = await pluginFolder(manifest('1.0.0'));
    const unsigned = await publish(dir, env).catch((e: Error) => e);
    expect(String((unsigned as Error).message)).toContain('PLUGIN_SIGNATURE');
    const keyFile = join(dir, 'release.pem');
    await writeFile(keyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }));
    expect(await publish(dir, env, { signKey: keyFile, keyId: 'release' })).toMatchObject({
      version: '1.0.0',
    });
    const noId = await publish(dir, env, { signKey: keyFile }).catch((e: Error) => e);
    expect(String((noId as Error).message)).toContain('--key-id');
  });

  it('says what to do about a folder that is not a built plugin, a refused key, or no platform', async () => {
    const ws = await rig.workspace(owner);
    const env = await admin(ws);
    const empty = await mkdtemp(join(tmpdir(), 'airsuite-publish-'));
    folders.push(empty);
    expect(String(await publish(empty, env).catch((e: Error) => e.message))).toContain('airsuite plugin new');
    const unbuilt = await pluginFolder(manifest('1.0.0'), false);
    expect(String(await publish(unbuilt, env).catch((e: Error) => e.message))).toContain(
      'airsuite plugin build',
    );
    const notJson = await pluginFolder('{ name: echoer');
    expect(String(await publish(notJson, env).catch((e: Error) => e.message))).toContain('is not JSON');
    const dir = await pluginFolder(manifest('1.0.0'));
    const wrongKey = await publish(dir, { ...env, AIRSUITE_API_KEY: 'ask_live_wrong' }).catch(
      (e: Error) => e,
    );
    expect(String((wrongKey as Error).message)).toContain('AIRSUITE_API_KEY');
    expect(
      String(await publish(dir, { AIRSUITE_PLATFORM_URL: platformUrl }).catch((e: Error) => e.message)),
    ).toContain('set AIRSUITE_API_KEY');
    const away = await publish(dir, { ...env, AIRSUITE_PLATFORM_URL: 'http://127.0.0.1:9' }).catch(
      (e: Error) => e,
    );
    expect(away).toMatchObject({ exitCode: 1 });
    expect(String((away as Error).message)).toContain('cannot reach the platform');
  });
});
