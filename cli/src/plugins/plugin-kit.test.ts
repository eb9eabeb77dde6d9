import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type HostCalls, PluginInstance } from '@airsuite/platform-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlugin } from './build-plugin.ts';

// The AssemblyScript kit (cli/plugin-kit/airsuite), through a probe plugin built from source and
// run as the platform runs plugins: its JSON reader and writer against JavaScript's, its typed
// host calls against the requests and answers of the host functions, its output, errors and logs.

const PROBE = fileURLToPath(new URL('../../plugin-kit/testing/kit-probe/', import.meta.url));
const LIMITS = { memoryPages: 16, timeoutMs: 10_000, maxInputBytes: 1 << 20, maxOutputBytes: 1 << 20 };

let out: string;
let module: WebAssembly.Module;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'airsuite-kit-'));
  const built = await buildPlugin(PROBE, { outFile: join(out, 'kit-probe.wasm') });
  module = await WebAssembly.compile(built.module);
}, 60_000);
afterAll(() => rm(out, { recursive: true, force: true }));

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** One call on a fresh instance, with these host functions, settings and log. */
async function call(
  fn: string,
  input: string,
  options: { calls?: Partial<HostCalls>; config?: Record<string, string>; logs?: string[] } = {},
) {
  const instance = await PluginInstance.create({
    module,
    limits: LIMITS,
    config: options.config ?? {},
    onLog: (log) => options.logs?.push(`${log.level} ${log.message}`),
  });
  try {
    return decode(await instance.call(fn, encode(input), (options.calls ?? {}) as HostCalls));
  } finally {
    await instance.close();
  }
}

describe('the kit’s JSON', () => {
  const documents = [
    '{"a":1,"b":[true,false,null],"c":{"d":"e"},"":""}',
    '"\\u00e9\\ud83d\\ude80 \\"q\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u0001 \\u001f"',
    '"Zoë — 東京 🚀"',
    '{"Zoë":"東京","🚀":["—"]}',
    '[0,-0,7,-12,1.5,-2.25e-7,1e21,12345678901234567890,0.1,3.141592653589793,9007199254740993,1E2,5e-324,1.7976931348623157e308]',
    '  {"x" : [ ] , "y":{ }}  ',
    '{"a":1,"b":2,"a":3}',
    '"\\ud800 lone, and \\udc00"',
    `[${'['.repeat(199)}${']'.repeat(199)}]`,
  ];

  it.each(documents)('reads and writes %s as JavaScript does', async (document) => {
    expect(await call('roundtrip', document)).toBe(JSON.stringify(JSON.parse(document)));
  });

  it('refuses nesting deeper than 200 levels, where JavaScript has no limit: the Wasm stack has one', async () => {
    const deep = `${'['.repeat(201)}${']'.repeat(201)}`;
    await expect(call('roundtrip', deep)).rejects.toMatchObject({ code: 'PLUGIN_FUNCTION_FAILED' });
  });

  it('carries a large document (300 records of non-ASCII text) unchanged', async () => {
    const records = Array.from({ length: 300 }, (_, i) => ({
      id: `rec${i}`,
      fields: { Name: `Zoë ${i} — 東京 🚀`, Employees: i * 7, Tags: ['a', 'ü'], Active: i % 2 === 0 },
    }));
    const document = JSON.stringify({ ok: true, records });
    expect(await call('roundtrip', document)).toBe(document);
  });

  it.each(['[1,]', '{"a"}', '{"a":1', '"\u0001"', 'tru', '[1] x', '01', '-', '1.', '"\\x"', '"\\u12g4"', ''])(
    'refuses %j, as JavaScript does',
    async (text) => {
      expect(() => JSON.parse(text)).toThrow();
      await expect(call('roundtrip', text)).rejects.toMatchObject({ code: 'PLUGIN_FUNCTION_FAILED' });
    },
  );
});

describe('the kit’s host calls', () => {
  it('send each host function its request and decode its answer, refusals included', async () => {
    const requests: Record<string, unknown> = {};
    const answer = (name: string, body: Record<string, unknown>) => async (request: unknown) => {
      requests[name] = request;
      return body as never;
    };
    const calls: Partial<HostCalls> = {
      records_list: answer('records_list', {
        ok: true,
        records: [
          { id: 'rec1', fields: { Name: 'Zoë — 東京 🚀' } },
          { id: 'rec2', fields: { Name: 'Ana' } },
        ],
      }),
      records_get: answer('records_get', {
        ok: false,
        error: { code: 'FORBIDDEN', message: 'the plugin may not read table "Leads"' },
      }),
      records_write: answer('records_write', { ok: true, result: { updated: 1 } }),
      kv_set: answer('kv_set', { ok: true }),
      kv_get: answer('kv_get', { ok: true, found: true, value: { n: 2 } }),
      kv_delete: answer('kv_delete', { ok: true, deleted: true }),
      emit_event: answer('emit_event', { ok: true, id: 'evt_1', type: 'plugin.kit_probe.scored' }),
    };
    const output = JSON.parse(await call('host_calls', '{}', { calls, config: { greeting: 'Grüß dich' } }));
    expect(requests).toEqual({
      records_list: {
        base: 'appJRG6RjcS0ZVuqz',
        table: 'Leads',
        fields: ['Name', 'Stage'],
        filter_by_formula: "{Stage} = 'Lead'",
        max_records: 5,
        view: 'Grid view',
        sort: [{ field: 'Name', direction: 'desc' }],
      },
      records_get: { base: 'appJRG6RjcS0ZVuqz', table: 'Leads', record_id: 'rec1' },
      records_write: {
        action: 'update',
        base: 'appJRG6RjcS0ZVuqz',
        table: 'Leads',
        records: [{ id: 'rec1', fields: { Stage: 'Won' } }],
        idempotency_key: 'key-1',
      },
      kv_set: { key: 'seen', value: { n: 2 } },
      kv_get: { key: 'seen' },
      kv_delete: { key: 'seen' },
      emit_event: { type: 'scored', data: { score: 80 } },
    });
    expect(output).toEqual({
      list: { ok: true, names: ['Zoë — 東京 🚀', 'Ana'], first_id: 'rec1' },
      get: { ok: false, code: 'FORBIDDEN', message: 'the plugin may not read table "Leads"', record: false },
      write: { ok: true, result: { updated: 1 } },
      kv_set: { ok: true },
      kv_get: { ok: true, found: true, value: { n: 2 } },
      kv_delete: { ok: true, deleted: true },
      emit: { ok: true, id: 'evt_1', type: 'plugin.kit_probe.scored' },
      config: 'Grüß dich',
      missing_config: '(none)',
    });
  });
});

describe('the kit’s output, errors and logs', () => {
  it('writes bytes from a view of a larger buffer as they are', async () => {
    expect(await call('tail', 'ab{"Zoë":"🚀"}')).toBe('{"Zoë":"🚀"}');
  });

  it('fails a call with the plugin’s own message, non-ASCII intact', async () => {
    await expect(call('fails', '{}')).rejects.toMatchObject({
      code: 'PLUGIN_FUNCTION_FAILED',
      message: expect.stringContaining('Zoë says no — 東京'),
    });
  });

  it('logs an abort with its message and place, since the trap itself carries none', async () => {
    const logs: string[] = [];
    await expect(call('aborts', '{}', { logs })).rejects.toMatchObject({ code: 'PLUGIN_CRASHED' });
    expect(logs).toEqual([expect.stringMatching(/^error Index out of range \(~lib\/array\.ts:\d+:\d+\)$/)]);
  });

  it('logs at each level, non-ASCII intact', async () => {
    const logs: string[] = [];
    await call('logs', '{}', { logs });
    expect(logs).toEqual(['debug debug: Zoë', 'info info: 東京', 'warn warn: 🚀', 'error error: —']);
  });
});
