import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { validatePlugin } from '@airsuite/platform-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main.ts';
import { recordingIo } from '../test-io.ts';
import { buildPlugin } from './build-plugin.ts';
import { pluginTemplate } from './plugin-template.ts';

// What `airsuite plugin build` says when it cannot make a valid module: each failure names
// what to fix, and where (manifest.json:line:column, assembly/index.ts:line:column).

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'airsuite-plugin-build-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

/** A plugin folder made from the template, with some files replaced (or removed, with null). */
async function folder(name: string, changes: Record<string, string | null> = {}): Promise<string> {
  const dir = join(work, name);
  for (const [path, text] of Object.entries({ ...pluginTemplate('probe'), ...changes })) {
    if (text === null) continue;
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

const manifestWith = (change: (manifest: Record<string, unknown>) => void) => {
  const manifest = JSON.parse(pluginTemplate('probe')['manifest.json'] as string);
  change(manifest);
  return JSON.stringify(manifest, null, 2);
};

const BROKEN = `import { inputJson, outputJson } from "airsuite";

export function greet(): i32 {
  const name = inputJson().getString("name");
  outputJson(greetingFor(name));
  return 0;
}
`;

describe('plugin build', () => {
  it('names a folder without manifest.json', async () => {
    const dir = await folder('no-manifest', { 'manifest.json': null });
    await expect(buildPlugin(dir)).rejects.toMatchObject({ code: 'PLUGIN_BUILD_NO_MANIFEST' });
  });

  it('says where manifest.json stops being JSON', async () => {
    const dir = await folder('bad-json', { 'manifest.json': '{\n  "name": "probe",\n}\n' });
    await expect(buildPlugin(dir)).rejects.toMatchObject({
      code: 'PLUGIN_BUILD_BAD_MANIFEST',
      problems: [expect.stringMatching(/^manifest\.json:3:1: /)],
    });
  });

  it('names a folder without assembly/index.ts', async () => {
    const dir = await folder('no-source', { 'assembly/index.ts': null });
    await expect(buildPlugin(dir)).rejects.toMatchObject({ code: 'PLUGIN_BUILD_NO_SOURCE' });
  });

  it('reports compile errors at their file, line and column', async () => {
    const dir = await folder('broken', { 'assembly/index.ts': BROKEN });
    await expect(buildPlugin(dir)).rejects.toMatchObject({
      code: 'PLUGIN_BUILD_COMPILE_FAILED',
      problems: [expect.stringMatching(/^assembly\/index\.ts:5:14: error TS2304: .*greetingFor/)],
    });
  });

  it('asks a plugin that does not use the kit to import it, for its abort handler', async () => {
    const dir = await folder('no-kit', {
      'assembly/index.ts': 'export function greet(): i32 {\n  return 0;\n}\n',
    });
    await expect(buildPlugin(dir)).rejects.toMatchObject({
      code: 'PLUGIN_BUILD_COMPILE_FAILED',
      problems: [expect.stringContaining('import "airsuite"')],
    });
  });

  it('reports what the platform would refuse, and compiles with the manifest’s memory maximum', async () => {
    const manifest = manifestWith((m) => {
      (m.functions as unknown[]).push({
        name: 'farewell',
        description: 'Says goodbye, in a sentence.',
        input_schema: { type: 'object' },
      });
      m.limits = { memory_pages: 4 };
    });
    const dir = await folder('invalid', { 'manifest.json': manifest });
    await expect(buildPlugin(dir)).rejects.toMatchObject({
      code: 'PLUGIN_BUILD_INVALID',
      problems: ['module: exports no function "farewell", which the manifest declares'],
    });
    const module = new Uint8Array(await readFile(join(dir, 'build', 'plugin.wasm')));
    const smaller = JSON.parse(manifest);
    smaller.functions.pop();
    smaller.limits.memory_pages = 2;
    await expect(validatePlugin(smaller, module, { maxMemoryPages: 16 })).rejects.toMatchObject({
      details: { problems: ['module: its memory may grow to 4 pages, more than the 2 allowed'] },
    });
  });

  it('prints each problem and exits with 2, as a command', async () => {
    const dir = await folder('broken-command', { 'assembly/index.ts': BROKEN });
    const { io, out, err } = recordingIo();
    expect(await main(['node', 'airsuite', 'plugin', 'build', dir], io, {})).toBe(2);
    expect(out).toEqual([]);
    expect(err).toEqual([
      expect.stringMatching(/^assembly\/index\.ts:5:14: error TS2304: /),
      'airsuite: assembly/index.ts did not compile (1 error)',
    ]);
  });
});
