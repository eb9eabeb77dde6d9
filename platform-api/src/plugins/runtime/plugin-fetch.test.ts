import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WorkspaceAccess } from '../../principal.ts';
import { type RigUser, usePlatformRig } from '../../testing/platform-rig.ts';
import { wasmOf } from '../testing/wat-fixtures.ts';

/**
 * A plugin's HTTP requests (Extism's http_request) reach only the hosts its manifest names
 * (permissions.network.hosts), and only where those names may lead under the deployment's
 * address policy, the webhooks' one: no private, loopback or metadata address unless
 * allow-listed. A plugin with no hosts reaches nothing.
 */

const rig = usePlatformRig({ webhooks: { deliver: false, allow: ['127.0.0.1'] } });

/** `fetch` sends its input (an Extism HTTP request, `{url, method}`) and outputs the answer's body. */
const FETCHER = `(module
  (import "extism:host/env" "input_length" (func $input_length (result i64)))
  (import "extism:host/env" "input_load_u8" (func $input_load_u8 (param i64) (result i32)))
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "length" (func $length (param i64) (result i64)))
  (import "extism:host/env" "http_request" (func $http_request (param i64 i64) (result i64)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (memory (export "memory") 1 2)
  (func (export "fetch") (result i32) (local $n i64) (local $block i64) (local $i i64) (local $answer i64)
    (local.set $n (call $input_length))
    (local.set $block (call $alloc (local.get $n)))
    (block $done (loop $copy
      (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
      (call $store_u8 (i64.add (local.get $block) (local.get $i)) (call $input_load_u8 (local.get $i)))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $copy)))
    (local.set $answer (call $http_request (local.get $block) (i64.const 0)))
    (call $output_set (local.get $answer) (call $length (local.get $answer)))
    i32.const 0))`;

let server: Server;
let origin = '';
let owner: RigUser;
let access: WorkspaceAccess;
let module: Uint8Array;
let seq = 0;

beforeAll(async () => {
  module = await wasmOf(FETCHER);
  server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ seen: req.url, method: req.method, note: 'Zoë' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(async () => {
  owner = await rig.user('owner');
  const ws = await rig.workspace(owner);
  const platform = rig.platform();
  access = await platform.workspaces.access(await platform.authenticate(owner.accessToken), ws);
});

async function fetcher(hosts: string[]): Promise<string> {
  seq += 1;
  const name = `fetcher${seq}`;
  const { registry } = rig.platform().plugins;
  await registry.publish(access, {
    manifest: {
      name,
      version: '1.0.0',
      description: 'Fetches',
      author: 'AirSuite specs',
      functions: [{ name: 'fetch', description: 'Sends an HTTP request.', input_schema: { type: 'object' } }],
      permissions: { network: { hosts } },
    },
    module,
  });
  await registry.install(access, { name, version: '1.0.0' });
  return name;
}

const send = (plugin: string, url: string) =>
  rig
    .platform()
    .plugins.runtime.call(access, plugin, 'fetch', { url, method: 'GET' })
    .then(
      (output) => ({ output }),
      (error: { code: string; message: string }) => ({ code: error.code, message: error.message }),
    );

describe("plugins' HTTP requests", () => {
  it('reach a host the manifest names, where the address policy lets it lead', async () => {
    const plugin = await fetcher(['127.0.0.1']);
    expect(await send(plugin, `${origin}/quote?q=1`)).toEqual({
      output: { seen: '/quote?q=1', method: 'GET', note: 'Zoë' },
    });
  });

  it('are refused for a host the manifest does not name, and for a plugin with no hosts', async () => {
    for (const plugin of [await fetcher(['api.example.com']), await fetcher([])]) {
      const refused = await send(plugin, `${origin}/x`);
      expect(refused).toMatchObject({ code: expect.stringMatching(/^PLUGIN_/) });
      expect((refused as { message: string }).message).toContain('not allowed');
    }
  });

  it('never reach a forbidden address, even when the manifest names it', async () => {
    const plugin = await fetcher(['169.254.169.254']);
    const refused = await send(plugin, 'http://169.254.169.254/latest/meta-data/');
    expect(refused).toMatchObject({ code: expect.stringMatching(/^PLUGIN_/) });
    expect((refused as { message: string }).message).toContain('refused');
  });
});
