import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main.ts';
import { buildPlugin } from '../plugins/build-plugin.ts';
import { recordingIo } from '../test-io.ts';

// The examples `airsuite plugin run --help` prints work as printed, run on the example plugins
// built from source (their `./folder` is where a person copied the example to).

const EXAMPLES = fileURLToPath(new URL('../../plugin-kit/examples/', import.meta.url));
let work: string;

const airsuite = async (...args: string[]) => {
  const { io, out, err } = recordingIo();
  const code = await main(['node', 'airsuite', ...args], io, {});
  return { code, out: out.join('\n'), err: err.join('\n') };
};

/** The words of a shell line: spaces split, single quotes keep. */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => (m[1] ?? m[2]) as string);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'airsuite-run-help-'));
  for (const example of ['lead-scoring', 'owner-validator']) {
    await cp(join(EXAMPLES, example), join(work, example), { recursive: true });
    await buildPlugin(join(work, example));
  }
}, 120_000);
afterAll(() => rm(work, { recursive: true, force: true }));

describe('airsuite plugin run --help', () => {
  it('prints examples that run as printed', async () => {
    const help = await airsuite('plugin', 'run', '--help');
    const examples = help.out
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.startsWith('airsuite plugin run '));
    expect(examples).toHaveLength(2);
    const [score, guard] = examples.map((line) =>
      words(line)
        .slice(1)
        .map((word) => (word.startsWith('./') ? join(work, word.slice(2)) : word)),
    ) as [string[], string[]];

    const scored = await airsuite(...score);
    expect(scored.code).toBe(0);
    expect(JSON.parse(scored.out)).toMatchObject({ ok: true, output: { scores: expect.any(Array) } });

    // The guard's example shows a refusal: the call fails (exit 1) with the guard's reason.
    const refused = await airsuite(...guard);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.out)).toMatchObject({
      ok: false,
      error: { code: 'TOOL_PLUGIN_FAILED', message: expect.stringContaining('every deal needs an Owner') },
    });
  }, 120_000);
});
