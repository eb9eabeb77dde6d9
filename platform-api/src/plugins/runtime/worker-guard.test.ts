import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * A plugin's worker thread starts clean whatever the host was started with: under `tsx` (the
 * way the benches and the worker processes run), Extism's worker used to inherit the loader,
 * whose source maps tripped over the worker's data: URL, and the unheard worker error ended
 * the whole process.
 */

const SCRIPT = fileURLToPath(new URL('../testing/echo-once.ts', import.meta.url));
const run = promisify(execFile);

describe('plugin workers', () => {
  it('run under a host started with --import tsx', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', SCRIPT, 'under tsx ✓'], {
      timeout: 30_000,
    });
    expect(stdout).toBe('under tsx ✓\n');
  });
});
