import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RigUser, usePlatformRig } from '../testing/platform-rig.ts';
import { MAX_LOGS_PER_CALL } from './plugin-logs.ts';
import { wasmOf } from './testing/wat-fixtures.ts';

/**
 * What a plugin logs (Extism's log_* kernel functions) is kept for its workspace's admins:
 * each line with its level, function, version and request, newest first, bounded per call and
 * per plugin, readable over REST by admins only, and gone with the plugin.
 */

const rig = usePlatformRig({ webhooks: { deliver: false } });

/** A module whose `talk` logs `times` × each [level, message] and answers {}. */
function logging(lines: [string, string][], times = 1): string {
  const encoder = new TextEncoder();
  let offset = 0;
  const data: string[] = [];
  const calls: string[] = [];
  for (const [level, message] of lines) {
    const bytes = encoder.encode(message);
    data.push(
      `(data (i32.const ${offset}) "${[...bytes].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('')}")`,
    );
    calls.push(`(call $log_${level} (call $copy (i32.const ${offset}) (i32.const ${bytes.length})))`);
    offset += bytes.length;
  }
  return `(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "log_info" (func $log_info (param i64)))
  (import "extism:host/env" "log_warn" (func $log_warn (param i64)))
  (import "extism:host/env" "log_error" (func $log_error (param i64)))
  (memory (export "memory") 1 2)
  ${data.join('\n  ')}
  (func $copy (param $from i32) (param $n i32) (result i64) (local $block i64) (local $i i32)
    (local.set $block (call $alloc (i64.extend_i32_u (local.get $n))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (call $store_u8 (i64.add (local.get $block) (i64.extend_i32_u (local.get $i)))
        (i32.load8_u (i32.add (local.get $from) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (local.get $block))
  (func (export "talk") (result i32) (local $round i32)
    (block $done (loop $again
      (br_if $done (i32.ge_u (local.get $round) (i32.const ${times})))
      ${calls.join('\n      ')}
      (local.set $round (i32.add (local.get $round) (i32.const 1)))
      (br $again)))
    i32.const 0))`;
}

let owner: RigUser;
let ws = '';

const manifest = (name: string) => ({
  name,
  version: '1.0.0',
  description: 'Logs',
  author: 'AirSuite specs',
  functions: [{ name: 'talk', description: 'Logs a few lines.', input_schema: { type: 'object' } }],
});

async function installed(name: string, source: string) {
  const platform = rig.platform();
  const access = await platform.workspaces.access(await platform.authenticate(owner.accessToken), ws);
  await platform.plugins.registry.publish(access, { manifest: manifest(name), module: await wasmOf(source) });
  await platform.plugins.registry.install(access, { name, version: '1.0.0' });
}

const talk = (name: string) =>
  rig.call('POST', `/v1/workspaces/${ws}/plugins/${name}/functions/talk`, {
    auth: owner.auth,
    body: { input: {} },
  });

const logsOf = async (name: string, query = '', auth = owner.auth) =>
  rig.call('GET', `/v1/workspaces/${ws}/plugins/${name}/logs${query}`, { auth });

let quiet: string;

beforeAll(async () => {
  quiet = logging([
    ['info', 'scored 3 deals for Zoë — 東京'],
    ['warn', 'deal recX has no owner'],
    ['error', 'budget missing'],
  ]);
});

beforeEach(async () => {
  owner = await rig.user('owner');
  ws = await rig.workspace(owner);
});

describe("a plugin's logs", () => {
  it('keep each line with its level and function, newest first, non-ASCII intact', async () => {
    await installed('scorer', quiet);
    expect((await talk('scorer')).statusCode).toBe(200);
    const answer = await logsOf('scorer');
    expect(answer.statusCode).toBe(200);
    const logs = answer.json().logs as {
      level: string;
      message: string;
      function: string;
      version: string;
    }[];
    expect(logs.map((l) => [l.level, l.message])).toEqual([
      ['error', 'budget missing'],
      ['warn', 'deal recX has no owner'],
      ['info', 'scored 3 deals for Zoë — 東京'],
    ]);
    expect(logs[0]).toMatchObject({ plugin: 'scorer', function: 'talk', version: '1.0.0' });
    const warnings = (await logsOf('scorer', '?level=warn')).json().logs as { level: string }[];
    expect(warnings.map((l) => l.level)).toEqual(['error', 'warn']);
    const [newest] = logs as unknown as { seq: number }[];
    const older = (await logsOf('scorer', `?limit=1&before=${newest?.seq}`)).json().logs as {
      message: string;
    }[];
    expect(older.map((l) => l.message)).toEqual(['deal recX has no owner']);
  });

  it(`keep at most ${MAX_LOGS_PER_CALL} lines of one call, and say how many were dropped`, async () => {
    await installed('chatty', logging([['info', 'again']], 150));
    await talk('chatty');
    const logs = (await logsOf('chatty', '?limit=500')).json().logs as { message: string }[];
    expect(logs).toHaveLength(MAX_LOGS_PER_CALL + 1);
    expect(logs[0]?.message).toBe('50 more lines of this call were dropped');
  });

  it('are for admins only, of installed plugins, and go with the plugin', async () => {
    await installed('scorer', quiet);
    await talk('scorer');
    const editor = await rig.user('editor');
    await rig.addMember(owner, ws, editor, 'editor');
    expect((await logsOf('scorer', '', editor.auth)).json()).toMatchObject({ code: 'FORBIDDEN' });
    expect((await logsOf('nobody')).json()).toMatchObject({ code: 'PLUGIN_NOT_FOUND' });
    expect((await logsOf('scorer', '?level=loud')).statusCode).toBe(400);
    await rig.call('DELETE', `/v1/workspaces/${ws}/plugins/scorer`, { auth: owner.auth });
    const left = await rig.db().query('SELECT 1 FROM plugin_logs WHERE workspace_id = $1', [ws]);
    expect(left).toEqual([]);
  });
});
