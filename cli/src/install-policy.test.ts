import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// npm 11 ends every install with a list of dependencies whose install scripts nobody reviewed
// (esbuild, protobufjs, @google/genai here): a warning users cannot act on. The root's
// allowScripts reviews each; the installed package avoids them (see cli/scripts/build.ts).

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

describe("the repository's install", () => {
  it('has no dependency whose install scripts are not covered by allowScripts', async () => {
    const { stdout } = await run('npm', ['install-scripts', 'ls', '--json'], { cwd: ROOT });
    expect(JSON.parse(stdout)).toEqual({ allowScripts: [] });
  });

  it('keeps that policy at the root, where npm reads it (a workspace’s own is ignored, with a warning)', () => {
    const manifest = (dir: string) => JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8'));
    expect(manifest('.').allowScripts).toBeDefined();
    for (const workspace of manifest('.').workspaces as string[])
      expect(manifest(workspace).allowScripts).toBeUndefined();
  });
});
