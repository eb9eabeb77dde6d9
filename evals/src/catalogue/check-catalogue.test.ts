import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EvalWorld, openEvalWorld } from '../runner/eval-world.ts';
import {
  checkCatalogue,
  TOOLS_LIST_TOKEN_BUDGET,
  toolProblems,
  undescribedParameters,
} from './check-catalogue.ts';

/**
 * The static catalogue checks, on every change: each role's tools have useful descriptions,
 * described parameters, output schemas, titles and annotations, Gemini accepts every declaration, and tools/list stays within its
 * role's token budget; a tool that falls short is named with what it lacks.
 */

let world: EvalWorld;
beforeAll(async () => {
  world = await openEvalWorld();
}, 60_000);
afterAll(() => world?.close());

describe('the catalogue checks', () => {
  it("pass for every role's catalogue as it is, within the budgets, a viewer seeing fewer tools", async () => {
    const checks = await checkCatalogue(world, ['viewer', 'editor', 'admin']);
    expect(checks.map((c) => [c.role, c.problems])).toEqual([
      ['viewer', []],
      ['editor', []],
      ['admin', []],
    ]);
    const [viewer, editor, admin] = checks as [(typeof checks)[0], (typeof checks)[0], (typeof checks)[0]];
    expect(viewer.tools).toBeLessThan(editor.tools);
    expect(editor.tools).toBeLessThan(admin.tools);
    for (const check of checks) expect(check.tokens).toBeLessThanOrEqual(TOOLS_LIST_TOKEN_BUDGET[check.role]);
  }, 60_000);

  it('name a tool whose description says too little, without an output schema or a title', () => {
    expect(
      toolProblems({ name: 'frob', description: 'Frobs.', inputSchema: { type: 'object' }, annotations: {} }),
    ).toEqual([
      'frob: its description says too little ("Frobs.")',
      'frob: no output schema',
      'frob: no title',
    ]);
    expect(toolProblems({ name: 'frob', inputSchema: { type: 'object' } })).toContain(
      'frob: no annotations (readOnlyHint, destructiveHint…)',
    );
  });

  it('name a parameter a model would have to guess at, but not one whose name says it all', () => {
    const tool = {
      name: 'frob',
      inputSchema: {
        type: 'object' as const,
        properties: {
          base_id: { type: 'string' },
          mode: { type: 'string' },
          when: { type: 'string', description: 'ISO' },
        },
      },
    };
    expect(undescribedParameters(tool)).toEqual(['frob: parameter mode has no description']);
  });
});
