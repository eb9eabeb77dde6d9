import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_FUNCTION_NAMES } from '../host-function-names.ts';
import type { PluginLimits } from '../manifest.ts';
import { WAT, wasmOf } from '../testing/wat-fixtures.ts';
import { InstancePool } from './instance-pool.ts';
import type { HostAnswer, HostCalls } from './plugin-instance.ts';

/**
 * Plugins run in worker threads of their own, a few per version, kept warm: hostile code is
 * contained (time, memory, output), the server's own thread keeps serving meanwhile, and a
 * failed instance is replaced for the next call.
 */

const LIMITS: PluginLimits = { memoryPages: 4, timeoutMs: 300, maxInputBytes: 1024, maxOutputBytes: 4096 };
const text = new TextEncoder();
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

const refuseAll: HostCalls = Object.fromEntries(
  HOST_FUNCTION_NAMES.map((name) => [
    name,
    async (): Promise<HostAnswer> => ({
      ok: false,
      error: { code: 'FORBIDDEN', message: `${name} not granted` },
    }),
  ]),
) as unknown as HostCalls;

let pool: InstancePool;
const modules: Record<string, WebAssembly.Module> = {};

async function run(name: keyof typeof modules, fn: string, input = '', calls = refuseAll, limits = LIMITS) {
  const module = modules[name] as WebAssembly.Module;
  return decode(
    await pool.call(`${name}:${JSON.stringify(limits)}`, { module, limits }, fn, text.encode(input), calls),
  );
}

beforeAll(async () => {
  pool = new InstancePool({ maxInstances: 2 });
  const sources = {
    echo: WAT.echo,
    relay: WAT.relay(['records_list', 'kv_get']),
    spin: WAT.spin,
    bomb: WAT.memoryBomb,
    huge: WAT.hugeOutput,
    crash: WAT.crash,
    fail: WAT.fail,
    // Reads far past its one page: a bad pointer, not a lack of memory.
    wild: `(module (memory (export "memory") 1 2)
      (func (export "wild") (result i32) (i32.load (i32.const 1000000))))`,
  };
  for (const [name, source] of Object.entries(sources))
    modules[name] = await WebAssembly.compile(await wasmOf(source));
});
afterAll(() => pool.close());

describe('a plugin call', () => {
  it('passes input and output through unchanged, non-ASCII text included', async () => {
    expect(await run('echo', 'echo', 'héllo wörld — 日本語 ✓')).toBe('héllo wörld — 日本語 ✓');
    expect(await run('echo', 'noop')).toBe('');
  });

  it('reaches the host functions of its call, whose answers (refusals too) the plugin reads', async () => {
    const seen: unknown[] = [];
    const calls: HostCalls = {
      ...refuseAll,
      records_list: async (request) => {
        seen.push(request);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { ok: true, records: [{ id: 'rec1', fields: { Name: 'Zoë' } }] };
      },
    };
    const answer = JSON.parse(await run('relay', 'relay_records_list', '{"table":"Deals"}', calls));
    expect(seen).toEqual([{ table: 'Deals' }]);
    expect(answer).toEqual({ ok: true, records: [{ id: 'rec1', fields: { Name: 'Zoë' } }] });
    expect(JSON.parse(await run('relay', 'relay_kv_get', '{"key":"a"}'))).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'kv_get not granted' },
    });
  });

  it('answers a host function that throws, or a request that is not JSON, with a refusal', async () => {
    const calls: HostCalls = {
      ...refuseAll,
      records_list: async () => {
        throw new Error('database went away');
      },
    };
    expect(JSON.parse(await run('relay', 'relay_records_list', '{}', calls))).toEqual({
      ok: false,
      error: { code: 'PLUGIN_HOST_ERROR', message: 'records_list failed: database went away' },
    });
    expect(JSON.parse(await run('relay', 'relay_records_list', 'not json', calls)).error.code).toBe(
      'PLUGIN_BAD_REQUEST',
    );
  });

  it('refuses input over the limit before the plugin sees it', async () => {
    await expect(run('echo', 'echo', 'x'.repeat(2_000))).rejects.toMatchObject({
      code: 'PLUGIN_INPUT_TOO_LARGE',
    });
  });

  it("reports the plugin's own error as a failure, and the instance stays in service", async () => {
    await expect(run('fail', 'fail', 'deal has no owner')).rejects.toMatchObject({
      code: 'PLUGIN_FUNCTION_FAILED',
      message: 'plugin function "fail" reported an error: deal has no owner',
    });
  });
});

describe('a hostile plugin', () => {
  it('that never returns is stopped at its time limit while the server keeps serving, and the next call works', async () => {
    let ticks = 0;
    let worstGapMs = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      worstGapMs = Math.max(worstGapMs, now - last);
      last = now;
      ticks++;
    }, 10);
    const started = performance.now();
    await expect(run('spin', 'spin')).rejects.toMatchObject({ code: 'PLUGIN_TIMEOUT' });
    const tookMs = performance.now() - started;
    clearInterval(ticker);
    expect(tookMs).toBeGreaterThanOrEqual(290);
    expect(tookMs).toBeLessThan(2_000);
    expect(ticks).toBeGreaterThan(10);
    expect(worstGapMs).toBeLessThan(250);
    expect(await run('spin', 'noop')).toBe('');
  });

  it('that grows its memory without end fails cleanly at the declared maximum', async () => {
    await expect(run('bomb', 'bomb')).rejects.toMatchObject({ code: 'PLUGIN_CRASHED' });
    expect(await run('bomb', 'noop')).toBe('');
  });

  it('that returns more than its output limit is refused', async () => {
    await expect(run('huge', 'huge', 'xxxxxxxx')).rejects.toMatchObject({
      code: 'PLUGIN_OUTPUT_TOO_LARGE',
      message: 'plugin function "huge" returned 8388608 bytes; its limit is 4096',
    });
    expect(await run('huge', 'noop')).toBe('');
  });

  it('that traps is replaced by a fresh instance for the next call', async () => {
    await expect(run('crash', 'crash')).rejects.toMatchObject({ code: 'PLUGIN_CRASHED' });
    await expect(run('crash', 'crash')).rejects.toMatchObject({ code: 'PLUGIN_CRASHED' });
  });

  it('that reads outside its memory crashed; it did not run out of memory', async () => {
    await expect(run('wild', 'wild')).rejects.toMatchObject({
      code: 'PLUGIN_CRASHED',
      message: expect.stringContaining('memory access out of bounds'),
    });
  });
});

describe('the pool', () => {
  it('serves calls beyond its instances in turn, and no more instances run than allowed', async () => {
    const outputs = await Promise.all(Array.from({ length: 6 }, (_, i) => run('echo', 'echo', `call ${i}`)));
    expect(outputs).toEqual(Array.from({ length: 6 }, (_, i) => `call ${i}`));
    expect(pool.stats().running).toBe(0);
  });

  it('stops a version on eviction and starts it again on the next call', async () => {
    const key = `echo:${JSON.stringify(LIMITS)}`;
    await pool.evict(key);
    expect(await run('echo', 'echo', 'again')).toBe('again');
  });
});
