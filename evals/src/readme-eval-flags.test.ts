import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVAL_FLAGS } from './run-evals.ts';

// The READMEs are where people copy eval commands from: every `npm run eval -- …` they show
// uses only flags the runner takes.

const READMES = ['../../README.md', '../README.md'].map((path) => ({
  path,
  text: readFileSync(new URL(path, import.meta.url), 'utf8').replace(/\s+/g, ' '),
}));

/** The flags of each `npm run eval -- …` example (up to its closing backtick). */
function exampleFlags(text: string): string[][] {
  return [...text.matchAll(/npm run eval -- ([^`]*)`/g)].map((m) =>
    [...(m[1] ?? '').matchAll(/--([a-z][a-z-]*)/g)].map((f) => f[1] as string),
  );
}

describe('the eval commands the READMEs show', () => {
  it('are there to check, and each flag is one the runner takes', () => {
    const examples = READMES.flatMap(({ text }) => exampleFlags(text));
    expect(examples.length).toBeGreaterThan(5);
    const known = new Set(Object.keys(EVAL_FLAGS));
    expect(examples.flat().filter((flag) => !known.has(flag))).toEqual([]);
    for (const flag of ['mcp', 'transport', 'update', 'live', 'trials', 'record', 'baseline', 'only']) {
      expect(examples.flat()).toContain(flag);
    }
  });
});
