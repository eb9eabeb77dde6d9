import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RigUser, usePlatformRig } from '@airsuite/platform-api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main.ts';
import { recordingIo } from '../test-io.ts';

// `airsuite plugin new` then `airsuite plugin build`, as a person runs them in an empty folder
// with nothing installed there; the module they make is published and run by a real platform.

const rig = usePlatformRig({ webhooks: { deliver: false } });

let work: string;
let dir: string;
let owner: RigUser;
let workspace: string;
const built: { code?: number; out: string[]; err: string[] } = { out: [], err: [] };

const airsuite = async (...args: string[]) => {
  const { io, out, err } = recordingIo();
  const code = await main(['node', 'airsuite', ...args], io, {});
  return { code, out, err };
};

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'airsuite-plugin-new-'));
  dir = join(work, 'hello');
  expect((await airsuite('plugin', 'new', 'hello', '--dir', dir)).code).toBe(0);
  Object.assign(built, await airsuite('plugin', 'build', dir));
  owner = await rig.user('owner');
  workspace = await rig.workspace(owner, { connect: true });
  const platform = rig.platform();
  const access = await platform.workspaces.access(await platform.authenticate(owner.accessToken), workspace);
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  const module = new Uint8Array(await readFile(join(dir, 'build', 'plugin.wasm')));
  await platform.plugins.registry.publish(access, { manifest, module });
  await platform.plugins.registry.install(access, { name: 'hello', version: manifest.version });
}, 120_000);
afterAll(() => rm(work, { recursive: true, force: true }));

describe('airsuite plugin new', () => {
  it('writes a manifest, a source using the kit, a README and a .gitignore, and says what to run next', async () => {
    expect((await readdir(dir)).sort()).toEqual([
      '.gitignore',
      'README.md',
      'assembly',
      'build',
      'manifest.json',
    ]);
    expect(await readFile(join(dir, 'assembly', 'index.ts'), 'utf8')).toContain('from "airsuite"');
    const again = await airsuite('plugin', 'new', 'hello', '--dir', dir);
    expect(again.code).toBe(2);
    expect(again.err.join('\n')).toContain('is not empty');
  });

  it('refuses a name the platform would refuse, suggesting one it takes', async () => {
    const made = await airsuite('plugin', 'new', 'Lead-Scoring', '--dir', join(work, 'other'));
    expect(made.code).toBe(2);
    expect(made.err.join('\n')).toContain('(lead_scoring?)');
  });
});

describe('airsuite plugin build of the new plugin', () => {
  it('builds it with no install in its folder and finds it valid', () => {
    expect(built.code).toBe(0);
    expect(built.err).toEqual([]);
    expect(built.out.join('\n')).toMatch(
      /^Built .*build\/plugin\.wasm \(.* KiB in .* s\): hello 0\.1\.0 is valid, exporting greet$/,
    );
  });

  it('makes a function the platform runs, and non-ASCII text goes in and comes back intact', async () => {
    const platform = rig.platform();
    const access = await platform.workspaces.access(
      await platform.authenticate(owner.accessToken),
      workspace,
    );
    expect(await platform.plugins.runtime.call(access, 'hello', 'greet', { name: 'Zoë — 東京 🚀' })).toEqual({
      greeting: 'Hello, Zoë — 東京 🚀!',
      shout: 'ZOË — 東京 🚀',
      characters: [...'Zoë — 東京 🚀'].length,
    });
  });

  it('makes a tool models call, plugin_hello_greet, answering in the same text', async () => {
    const answer = await rig.call('POST', `/v1/workspaces/${workspace}/tools/plugin_hello_greet`, {
      auth: owner.auth,
      body: { name: 'Zoë — 東京 🚀' },
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({ output: { greeting: 'Hello, Zoë — 東京 🚀!', characters: 10 } });
  });
});
