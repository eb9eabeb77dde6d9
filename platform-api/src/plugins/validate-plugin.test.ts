import { describe, expect, it } from 'vitest';
import type { PluginManifestInput } from './manifest.ts';
import { WAT, wasmOf } from './testing/wat-fixtures.ts';
import { validatePlugin } from './validate-plugin.ts';

/** What publishing checks, each problem named so an author can fix it in one round. */

const POLICY = { maxMemoryPages: 16 };

const manifest = (overrides: Partial<PluginManifestInput> = {}): PluginManifestInput => ({
  name: 'echoer',
  version: '1.0.0',
  description: 'Echoes its input',
  author: 'AirSuite specs',
  functions: [
    {
      name: 'echo',
      description: 'Returns what it is given, unchanged.',
      input_schema: { type: 'object', properties: { text: { type: 'string' } } },
    },
  ],
  ...overrides,
});

async function problemsOf(input: unknown, source: string | Uint8Array, policy = POLICY): Promise<string[]> {
  const bytes = typeof source === 'string' ? await wasmOf(source) : source;
  try {
    await validatePlugin(input, bytes, policy);
    return [];
  } catch (error) {
    expect(error).toMatchObject({ code: 'PLUGIN_INVALID' });
    return (error as { details: { problems: string[] } }).details.problems;
  }
}

describe('publishing a plugin', () => {
  it('accepts a module that matches its manifest, with defaults filled in and its hash', async () => {
    const bytes = await wasmOf(WAT.echo);
    const plugin = await validatePlugin(manifest(), bytes, POLICY);
    expect(plugin.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(plugin.manifest.functions[0]?.annotations).toEqual({});
    expect(plugin.manifest.permissions).toEqual({
      records: { read: [], write: [] },
      network: { hosts: [] },
      kv: false,
      events: { emit: [] },
    });
  });

  it('names each manifest problem by its path, all at once', async () => {
    const problems = await problemsOf(
      {
        ...manifest(),
        name: 'Bad Name',
        version: 'one',
        functions: [{ name: 'echo', description: 'short' }],
      },
      WAT.echo,
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^manifest\.name: /),
        expect.stringMatching(/^manifest\.version: a semantic version/),
        expect.stringMatching(/^manifest\.functions\[0\]\.description: say what it does/),
        expect.stringMatching(/^manifest\.functions\[0\]\.input_schema: /),
      ]),
    );
  });

  it('refuses a function the module does not export, and one listed twice', async () => {
    const fn = {
      name: 'shout',
      description: 'Says it louder than before.',
      input_schema: { type: 'object' },
    };
    expect(await problemsOf(manifest({ functions: [fn] }), WAT.echo)).toEqual([
      'module: exports no function "shout", which the manifest declares',
    ]);
    const echo = manifest().functions?.[0];
    expect(await problemsOf(manifest({ functions: [echo as never, echo as never] }), WAT.echo)).toEqual([
      'manifest.functions[1].name: "echo" is listed twice',
    ]);
  });

  it('refuses bytes that are not WebAssembly, or do not compile', async () => {
    expect(await problemsOf(manifest(), new TextEncoder().encode('#!/bin/sh'))).toEqual([
      'module: not a WebAssembly binary (it does not start with \\0asm)',
    ]);
    const truncated = (await wasmOf(WAT.echo)).slice(0, 40);
    expect((await problemsOf(manifest(), truncated))[0]).toMatch(/^module: does not compile: /);
  });

  it('refuses a memory without a maximum, or one above the limit', async () => {
    const noop = manifest({
      functions: [{ name: 'noop', description: 'Does nothing at all.', input_schema: { type: 'object' } }],
    });
    expect(await problemsOf(noop, WAT.unboundedMemory)).toEqual([
      'module: its memory declares no maximum; declare one of at most 16 pages (AssemblyScript: --maximumMemory 16)',
    ]);
    expect(await problemsOf(noop, WAT.echo, { maxMemoryPages: 2 })).toEqual([
      'module: its memory may grow to 4 pages, more than the 2 allowed',
    ]);
    expect(await problemsOf({ ...noop, limits: { memory_pages: 3 } }, WAT.echo)).toEqual([
      'module: its memory may grow to 4 pages, more than the 3 allowed',
    ]);
  });

  it('refuses imports the host does not provide', async () => {
    const noop = manifest({
      functions: [{ name: 'noop', description: 'Does nothing at all.', input_schema: { type: 'object' } }],
    });
    const [problem] = await problemsOf(noop, WAT.unknownImport);
    expect(problem).toMatch(
      /^module: imports function "extism:host\/user" "read_files", which the host does not provide \(host functions: records_list, /,
    );
  });

  it('requires at least one function or hook, and hooks name exports that exist', async () => {
    expect(await problemsOf(manifest({ functions: [] }), WAT.echo)).toEqual([
      'manifest.functions: a plugin exports at least one function or hook',
    ]);
    expect(await problemsOf(manifest({ functions: [], hooks: { before_write: {} } }), WAT.echo)).toEqual([
      'module: exports no function "before_write", which the manifest declares',
    ]);
  });
});
