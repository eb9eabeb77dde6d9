import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PluginManifestInput } from '../../plugins/manifest.ts';
import { signedMessage } from '../../plugins/plugin-signature.ts';
import { WAT, wasmOf } from '../../plugins/testing/wat-fixtures.ts';
import { type RigUser, usePlatformRig } from '../../testing/platform-rig.ts';
import { DEFAULT_BODY_LIMIT_BYTES } from '../create-app.ts';
import { PUBLISH_BODY_LIMIT_BYTES } from './plugin-schemas.ts';

/**
 * The plugin REST API through the real app and database: admins publish a module (base64) with
 * its manifest, install, upgrade, roll back, disable, enable and uninstall; members read and run
 * functions (editors those that are not read-only); a workspace's signing rules and trusted keys.
 */

type Auth = { authorization: string };
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const rig = usePlatformRig({ webhooks: { deliver: false } });

let owner: RigUser;
let editor: RigUser;
let viewer: RigUser;
let stranger: RigUser;
let echo: Uint8Array;

const manifest = (version: string, name = 'echoer'): PluginManifestInput => ({
  name,
  version,
  description: 'Echoes its input',
  author: 'AirSuite specs',
  functions: [
    { name: 'echo', description: 'Returns what it is given, unchanged.', input_schema: { type: 'object' } },
    {
      name: 'noop',
      description: 'Does nothing and returns nothing.',
      input_schema: { type: 'object' },
      annotations: { readOnlyHint: true },
    },
  ],
});

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const problem = (response: LightMyRequestResponse) => ({
  status: response.statusCode,
  code: response.json().code,
});
const call = (method: Method, path: string, body?: unknown, auth: Auth = owner.auth) =>
  rig.call(method, path, { auth, ...(body !== undefined ? { body } : {}) });

/** A workspace of `owner` with an editor and a viewer. */
async function team(): Promise<string> {
  const ws = await rig.workspace(owner);
  await rig.addMember(owner, ws, editor, 'editor');
  await rig.addMember(owner, ws, viewer, 'viewer');
  return ws;
}

async function expectStatus(response: Promise<LightMyRequestResponse>, status: number) {
  const answered = await response;
  expect({ status: answered.statusCode, body: answered.body }).toMatchObject({ status });
  return answered.body === '' ? undefined : answered.json();
}

const publish = (ws: string, m: unknown, extra: Record<string, unknown> = {}, auth: Auth = owner.auth) =>
  call('POST', `/v1/workspaces/${ws}/plugin-versions`, { manifest: m, module: base64(echo), ...extra }, auth);

/** Publishes and installs `name` 1.0.0 in `ws`. */
async function installed(ws: string, name = 'echoer'): Promise<void> {
  await expectStatus(publish(ws, manifest('1.0.0', name)), 201);
  await expectStatus(call('POST', `/v1/workspaces/${ws}/plugins`, { name, version: '1.0.0' }), 201);
}

beforeAll(async () => {
  echo = await wasmOf(WAT.echo);
  owner = await rig.user('owner');
  editor = await rig.user('editor');
  viewer = await rig.user('viewer');
  stranger = await rig.user('stranger');
});

describe('a plugin from publish to uninstall', () => {
  it('publishes, installs, runs echo, upgrades, rolls back, disables, enables and uninstalls', async () => {
    const ws = await team();
    const plugins = `/v1/workspaces/${ws}/plugins`;
    const published = await expectStatus(publish(ws, manifest('1.0.0')), 201);
    expect(published).toMatchObject({
      id: expect.stringMatching(/^plv_/),
      name: 'echoer',
      version: '1.0.0',
      author: 'AirSuite specs',
      sha256: createHash('sha256').update(echo).digest('hex'),
      manifest: { name: 'echoer', functions: [{ name: 'echo' }, { name: 'noop' }] },
    });
    expect(published).not.toHaveProperty('signed_by');

    const install = await expectStatus(
      call('POST', plugins, { name: 'echoer', version: '1.0.0', config: { greeting: 'hej' } }),
      201,
    );
    expect(install).toMatchObject({
      name: 'echoer',
      version: '1.0.0',
      version_id: published.id,
      status: 'enabled',
      config: { greeting: 'hej' },
    });
    expect(await expectStatus(call('GET', plugins), 200)).toEqual({ plugins: [install] });
    expect(await expectStatus(call('GET', `${plugins}/echoer`), 200)).toEqual(install);

    const input = { text: 'Grüße, 東京 — naïve café 🎉', nested: { list: [1, 'ø', null] } };
    const run = (auth: Auth = owner.auth) =>
      call('POST', `${plugins}/echoer/functions/echo`, { input }, auth);
    expect(await expectStatus(run(), 200)).toEqual({ output: input });

    await expectStatus(publish(ws, manifest('1.1.0')), 201);
    const versions = await expectStatus(call('GET', `/v1/workspaces/${ws}/plugin-versions?name=echoer`), 200);
    expect(versions.versions.map((v: { version: string }) => v.version)).toEqual(['1.0.0', '1.1.0']);
    expect(
      await expectStatus(call('PUT', `${plugins}/echoer/version`, { version: '1.1.0' }), 200),
    ).toMatchObject({
      version: '1.1.0',
      previous_version: '1.0.0',
      status: 'enabled',
      config: { greeting: 'hej' },
    });
    expect(await expectStatus(run(), 200)).toEqual({ output: input });
    expect(await expectStatus(call('POST', `${plugins}/echoer/rollback`), 200)).toMatchObject({
      version: '1.0.0',
      previous_version: '1.1.0',
    });

    expect(await expectStatus(call('PATCH', `${plugins}/echoer`, { enabled: false }), 200)).toMatchObject({
      status: 'disabled',
    });
    expect(problem(await run())).toEqual({ status: 409, code: 'PLUGIN_DISABLED' });
    expect(await expectStatus(call('PATCH', `${plugins}/echoer`, { enabled: true }), 200)).toMatchObject({
      status: 'enabled',
    });
    expect(await expectStatus(run(), 200)).toEqual({ output: input });

    expect(await expectStatus(call('DELETE', `${plugins}/echoer`), 204)).toBeUndefined();
    expect(problem(await call('GET', `${plugins}/echoer`))).toEqual({
      status: 404,
      code: 'PLUGIN_NOT_FOUND',
    });
    expect(problem(await run())).toEqual({ status: 404, code: 'PLUGIN_NOT_FOUND' });
    expect(await expectStatus(call('GET', plugins), 200)).toEqual({ plugins: [] });
    // Its versions stay published, to install again.
    const left = await expectStatus(call('GET', `/v1/workspaces/${ws}/plugin-versions`), 200);
    expect(left.versions).toHaveLength(2);
  });

  it('answers each refusal of the registry with its code', async () => {
    const ws = await team();
    const plugins = `/v1/workspaces/${ws}/plugins`;
    await installed(ws);
    expect(problem(await publish(ws, manifest('1.0.0')))).toEqual({
      status: 409,
      code: 'PLUGIN_VERSION_EXISTS',
    });
    expect(problem(await call('POST', plugins, { name: 'echoer', version: '1.0.0' }))).toEqual({
      status: 409,
      code: 'PLUGIN_ALREADY_INSTALLED',
    });
    expect(problem(await call('PUT', `${plugins}/echoer/version`, { version: '9.9.9' }))).toEqual({
      status: 404,
      code: 'PLUGIN_VERSION_NOT_FOUND',
    });
    expect(problem(await call('POST', `${plugins}/echoer/rollback`))).toEqual({
      status: 409,
      code: 'PLUGIN_NO_PREVIOUS_VERSION',
    });
    expect(problem(await call('POST', `${plugins}/echoer/functions/missing`, { input: {} }))).toEqual({
      status: 404,
      code: 'PLUGIN_FUNCTION_NOT_FOUND',
    });
    // `previous` is not a version: a rollback is its own route.
    expect(problem(await call('PUT', `${plugins}/echoer/version`, { version: 'previous' }))).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
  });

  it('checks a function input against its input_schema', async () => {
    const ws = await team();
    const strict = manifest('1.0.0', 'strict');
    strict.functions = [
      {
        name: 'echo',
        description: 'Returns the text it is given.',
        input_schema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
      },
    ];
    await expectStatus(publish(ws, strict), 201);
    await expectStatus(
      call('POST', `/v1/workspaces/${ws}/plugins`, { name: 'strict', version: '1.0.0' }),
      201,
    );
    const url = `/v1/workspaces/${ws}/plugins/strict/functions/echo`;
    const refused = await call('POST', url, { input: { text: 42 } });
    expect(problem(refused)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(refused.json().errors).toEqual([
      expect.objectContaining({ field: 'input.text', location: 'body' }),
    ]);
    expect(await expectStatus(call('POST', url, { input: { text: 'ok' } }), 200)).toEqual({
      output: { text: 'ok' },
    });
  });

  it('routes a plugin named like a path segment (versions) to the plugin', async () => {
    const ws = await team();
    await installed(ws, 'versions');
    expect(await expectStatus(call('GET', `/v1/workspaces/${ws}/plugins/versions`), 200)).toMatchObject({
      name: 'versions',
      status: 'enabled',
    });
  });
});

describe('who may', () => {
  it('lets an editor read and run, but not change anything (403 FORBIDDEN)', async () => {
    const ws = await team();
    const plugins = `/v1/workspaces/${ws}/plugins`;
    await installed(ws);
    await expectStatus(publish(ws, manifest('1.1.0')), 201);
    for (const path of [
      plugins,
      `${plugins}/echoer`,
      `/v1/workspaces/${ws}/plugin-versions`,
      `/v1/workspaces/${ws}/plugin-settings`,
      `/v1/workspaces/${ws}/plugin-keys`,
    ]) {
      await expectStatus(call('GET', path, undefined, editor.auth), 200);
    }
    const { publicKey } = generateKeyPairSync('ed25519');
    await expectStatus(
      call('POST', `/v1/workspaces/${ws}/plugin-keys`, {
        id: 'kept',
        name: 'Kept key',
        public_key: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
      }),
      201,
    );
    for (const [method, path, body] of [
      ['POST', `/v1/workspaces/${ws}/plugin-versions`, { manifest: manifest('2.0.0'), module: base64(echo) }],
      ['POST', plugins, { name: 'echoer', version: '1.1.0' }],
      ['PUT', `${plugins}/echoer/version`, { version: '1.1.0' }],
      ['POST', `${plugins}/echoer/rollback`],
      ['PATCH', `${plugins}/echoer`, { enabled: false }],
      ['DELETE', `${plugins}/echoer`],
      ['PATCH', `/v1/workspaces/${ws}/plugin-settings`, { require_signatures: true }],
      ['POST', `/v1/workspaces/${ws}/plugin-keys`, { id: 'mine', name: 'Mine', public_key: 'AAAA' }],
      ['DELETE', `/v1/workspaces/${ws}/plugin-keys/kept`],
    ] as const) {
      expect(problem(await call(method, path, body, editor.auth)), `${method} ${path}`).toEqual({
        status: 403,
        code: 'FORBIDDEN',
      });
    }
    expect(await expectStatus(call('GET', `${plugins}/echoer`), 200)).toMatchObject({
      version: '1.0.0',
      status: 'enabled',
    });
    const input = { from: 'editor' };
    expect(
      await expectStatus(call('POST', `${plugins}/echoer/functions/echo`, { input }, editor.auth), 200),
    ).toEqual({ output: input });
  });

  it("lets a viewer run read-only functions only, as the function's tool", async () => {
    const ws = await team();
    const fn = (name: string) => `/v1/workspaces/${ws}/plugins/echoer/functions/${name}`;
    await installed(ws);
    expect(await expectStatus(call('POST', fn('noop'), { input: {} }, viewer.auth), 200)).toEqual({
      output: null,
    });
    expect(problem(await call('POST', fn('echo'), { input: {} }, viewer.auth))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
  });

  it("answers another workspace's member WORKSPACE_NOT_FOUND, and changes nothing", async () => {
    const ws = await team();
    const plugins = `/v1/workspaces/${ws}/plugins`;
    await installed(ws);
    await rig.workspace(stranger);
    for (const [method, path, body] of [
      ['GET', plugins],
      ['GET', `${plugins}/echoer`],
      ['GET', `/v1/workspaces/${ws}/plugin-versions`],
      ['POST', `/v1/workspaces/${ws}/plugin-versions`, { manifest: manifest('2.0.0'), module: base64(echo) }],
      ['POST', plugins, { name: 'echoer', version: '1.0.0' }],
      ['PUT', `${plugins}/echoer/version`, { version: '1.0.0' }],
      ['POST', `${plugins}/echoer/rollback`],
      ['PATCH', `${plugins}/echoer`, { enabled: false }],
      ['DELETE', `${plugins}/echoer`],
      ['POST', `${plugins}/echoer/functions/echo`, { input: {} }],
      ['GET', `/v1/workspaces/${ws}/plugin-settings`],
      ['PATCH', `/v1/workspaces/${ws}/plugin-settings`, { require_signatures: true }],
      ['GET', `/v1/workspaces/${ws}/plugin-keys`],
      ['DELETE', `/v1/workspaces/${ws}/plugin-keys/any`],
    ] as const) {
      expect(problem(await call(method, path, body, stranger.auth)), `${method} ${path}`).toEqual({
        status: 404,
        code: 'WORKSPACE_NOT_FOUND',
      });
    }
    expect(await expectStatus(call('GET', `${plugins}/echoer`), 200)).toMatchObject({ status: 'enabled' });
    expect(await expectStatus(call('GET', `/v1/workspaces/${ws}/plugin-settings`), 200)).toEqual({
      require_signatures: false,
      max_memory_pages: 256,
    });
  });
});

describe('what is published', () => {
  it('refuses a module that is not clean base64 with 400 VALIDATION_FAILED', async () => {
    const ws = await team();
    const clean = base64(echo);
    for (const module of [
      'not base64 at all!',
      // The echo module is 261 bytes, so its base64 has no padding; two more characters need it.
      `${clean}AA`,
      `${clean.slice(0, 40)}\n${clean.slice(40)}`,
      clean.replaceAll('+', '-').replaceAll('/', '_').concat('-_'),
      '',
    ]) {
      const refused = await publish(ws, manifest('1.0.0'), { module });
      expect(problem(refused)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(refused.json().errors).toEqual([expect.objectContaining({ field: 'module', location: 'body' })]);
    }
    expect(await expectStatus(call('GET', `/v1/workspaces/${ws}/plugin-versions`), 200)).toEqual({
      versions: [],
    });
  });

  it('refuses an invalid manifest with 422 PLUGIN_INVALID, listing every problem', async () => {
    const ws = await team();
    const refused = await publish(ws, {
      ...manifest('1.0.0'),
      name: 'Bad Name',
      version: 'one',
      functions: [
        { name: 'missing', description: 'Not exported by the module.', input_schema: { type: 'object' } },
      ],
    });
    expect(problem(refused)).toEqual({ status: 422, code: 'PLUGIN_INVALID' });
    const problems: string[] = refused.json().problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^manifest\.name/),
        expect.stringMatching(/^manifest\.version/),
      ]),
    );
    const unexported = await publish(ws, {
      ...manifest('1.0.0'),
      functions: [
        { name: 'missing', description: 'Not exported by the module.', input_schema: { type: 'object' } },
      ],
    });
    expect(problem(unexported)).toEqual({ status: 422, code: 'PLUGIN_INVALID' });
    expect(unexported.json().problems).toEqual([expect.stringContaining('"missing"')]);
    // A NUL character cannot be stored: refused at the door, not a 500.
    expect(problem(await publish(ws, { ...manifest('1.0.0'), description: 'nul \u0000 here' }))).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
  });

  it('takes a module larger than the default body limit on publish only', async () => {
    const ws = await team();
    // 1.5 MiB of zero bytes: past the app's 1 MiB default, so it reaches the registry (not a module).
    const large = 'A'.repeat(2 * 1024 * 1024);
    const refused = await publish(ws, manifest('1.0.0'), { module: large });
    expect(problem(refused)).toEqual({ status: 422, code: 'PLUGIN_INVALID' });
    expect(refused.json().problems).toEqual([expect.stringMatching(/not a WebAssembly binary/)]);
    const bigConfig = { blob: 'x'.repeat(DEFAULT_BODY_LIMIT_BYTES) };
    expect(
      problem(
        await call('POST', `/v1/workspaces/${ws}/plugins`, {
          name: 'echoer',
          version: '1.0.0',
          config: bigConfig,
        }),
      ),
    ).toEqual({ status: 413, code: 'BODY_TOO_LARGE' });
    expect(
      problem(await publish(ws, manifest('1.0.0'), { module: 'A'.repeat(PUBLISH_BODY_LIMIT_BYTES) })),
    ).toEqual({
      status: 413,
      code: 'BODY_TOO_LARGE',
    });
  });
});

describe('signatures', () => {
  const keys = generateKeyPairSync('ed25519');
  const publicKey = keys.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  const signatureOf = (m: unknown) =>
    sign(null, signedMessage(createHash('sha256').update(echo).digest('hex'), m), keys.privateKey).toString(
      'base64',
    );

  it('requires a trusted signature once the workspace says so', async () => {
    const ws = await team();
    const settings = `/v1/workspaces/${ws}/plugin-settings`;
    const keysUrl = `/v1/workspaces/${ws}/plugin-keys`;
    expect(await expectStatus(call('PATCH', settings, { require_signatures: true }), 200)).toEqual({
      require_signatures: true,
      max_memory_pages: 256,
    });
    expect(await expectStatus(call('GET', settings, undefined, editor.auth), 200)).toEqual({
      require_signatures: true,
      max_memory_pages: 256,
    });
    expect(problem(await publish(ws, manifest('1.0.0')))).toEqual({
      status: 422,
      code: 'PLUGIN_SIGNATURE_REQUIRED',
    });

    const key = await expectStatus(
      call('POST', keysUrl, { id: 'release', name: 'Release key', public_key: publicKey }),
      201,
    );
    expect(key).toMatchObject({ id: 'release', name: 'Release key', public_key: publicKey });
    expect(await expectStatus(call('GET', keysUrl), 200)).toEqual({ keys: [key] });
    const m = manifest('1.0.0');
    const signed = await expectStatus(
      publish(ws, m, { signature: { key_id: 'release', signature: signatureOf(m) } }),
      201,
    );
    expect(signed).toMatchObject({ version: '1.0.0', signed_by: 'release' });
    // A signature over another manifest does not carry over.
    expect(
      problem(
        await publish(ws, manifest('1.0.1'), { signature: { key_id: 'release', signature: signatureOf(m) } }),
      ),
    ).toEqual({ status: 422, code: 'PLUGIN_SIGNATURE_INVALID' });

    expect(await expectStatus(call('DELETE', `${keysUrl}/release`), 204)).toBeUndefined();
    const next = manifest('1.0.1');
    expect(
      problem(await publish(ws, next, { signature: { key_id: 'release', signature: signatureOf(next) } })),
    ).toEqual({ status: 422, code: 'PLUGIN_SIGNATURE_INVALID' });
    expect(problem(await call('DELETE', `${keysUrl}/release`))).toEqual({
      status: 404,
      code: 'PLUGIN_KEY_NOT_FOUND',
    });
  });

  it('refuses a key that is not Ed25519, and settings out of bounds', async () => {
    const ws = await team();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    const notEd25519 = rsa.export({ format: 'der', type: 'spki' }).toString('base64');
    expect(
      problem(
        await call('POST', `/v1/workspaces/${ws}/plugin-keys`, {
          id: 'rsa',
          name: 'RSA',
          public_key: notEd25519,
        }),
      ),
    ).toEqual({ status: 422, code: 'PLUGIN_SIGNATURE_INVALID' });
    for (const body of [
      {},
      { max_memory_pages: 0 },
      { max_memory_pages: 100_000 },
      { require_signatures: 'yes' },
    ]) {
      expect(problem(await call('PATCH', `/v1/workspaces/${ws}/plugin-settings`, body))).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
  });
});
