import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCatalogue, OPEN_POLICY, type ToolDefinition } from '@airsuite/tools';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { copyScenarios } from './eval-spec-kit.ts';
import { type EvalReport, runEvals } from './run-evals.ts';
import { type Catalogue, type EvalWorld, type EvalWorldOptions, openEvalWorld } from './runner/eval-world.ts';

/**
 * Breaking a tool on purpose fails the eval, and the report names the scenario and the cause:
 * the committed scenarios and transcripts, replayed through the whole real stack against a
 * catalogue (or a filter compiler) broken the way a careless change would break it.
 */

const sabotage = vi.hoisted(() => ({ escaping: false }));

// The filter compiler with its quoting undone: what dropping formulaString's escapes does. The
// subpath is the compiler's own module, so the tools that import it get this one.
vi.mock('@airsuite/tools/filter', async (importOriginal) => {
  const original = await importOriginal<typeof import('@airsuite/tools/filter')>();
  return {
    ...original,
    compileFilter: (...args: Parameters<typeof original.compileFilter>) => {
      const formula = original.compileFilter(...args);
      return sabotage.escaping ? formula?.replace(/\\(['"\\])/g, '$1') : formula;
    },
  };
});

type Alter = NonNullable<EvalWorldOptions['alterCatalogue']>;

let work: string;
let world: EvalWorld;
// One world for every case (opening one is the slow part); each case sets its own break.
let alter: Alter | undefined;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'airsuite-break-a-tool-'));
  world = await openEvalWorld({ alterCatalogue: (catalogue, role) => alter?.(catalogue, role) ?? catalogue });
}, 60_000);
afterAll(async () => {
  await world.close();
  await rm(work, { recursive: true, force: true });
});

async function evalOf(ids: string[], broken: { alterCatalogue?: Alter } = {}, catalogue = false) {
  const dir = await copyScenarios(work, ids);
  const lines: string[] = [];
  alter = broken.alterCatalogue;
  const report = await runEvals({
    scenariosDir: join(dir, 'scenarios'),
    transcriptsDir: join(dir, 'transcripts'),
    resultsDir: join(dir, 'results'),
    catalogue,
    world,
    log: (line) => lines.push(line),
  }).finally(() => {
    alter = undefined;
  });
  const [markdown] = (await readdir(join(dir, 'results'))).filter((f) => f.endsWith('.md'));
  return {
    report,
    log: lines.join('\n'),
    markdown: await readFile(join(dir, 'results', markdown ?? ''), 'utf8'),
  };
}

const problemsOf = (report: EvalReport, id: string) => report.runs.find((r) => r.id === id)?.problems ?? [];

/** The catalogue with one tool replaced by `change(tool)`. */
const changing =
  (name: string, change: (tool: ToolDefinition) => ToolDefinition) => (catalogue: Catalogue) => ({
    ...catalogue,
    tools: catalogue.tools.map((tool) => (tool.name === name ? change(tool) : tool)),
  });

describe('breaking a tool on purpose fails the eval, naming the scenario and the cause', () => {
  it('a renamed parameter is drift in every scenario whose transcript calls the tool', async () => {
    const { report, log, markdown } = await evalOf(['deal-name-with-quotes', 'count-won-deals'], {
      alterCatalogue: changing('list_records', (tool) => {
        const { filter, ...rest } = tool.inputSchema.shape;
        return { ...tool, inputSchema: z.object({ ...rest, where: filter }) } as ToolDefinition;
      }),
    });
    expect(report.failed).toBe(1);
    expect(problemsOf(report, 'deal-name-with-quotes')).toContain(
      'drift: list_records: its declaration changed (description or parameters)',
    );
    expect(problemsOf(report, 'count-won-deals')).toEqual([]);
    expect(log).toMatch(/deal-name-with-quotes\s+FAIL[^\n]*\n\s+drift: list_records/);
    expect(markdown).toContain('deal-name-with-quotes');
    expect(markdown).toContain('drift: list_records');
    // What changed, line by line: the recorded declaration kept by fingerprint beside the transcripts.
    const diff = report.runs.find((r) => r.id === 'deal-name-with-quotes')?.driftDiff.list_records ?? [];
    expect(diff.filter((line) => /^[-+] +"(filter|where)": \{$/.test(line))).toEqual([
      '-       "filter": {',
      '+       "where": {',
    ]);
    expect(log).toContain('list_records, as recorded (-) and now (+):');
    expect(markdown).toContain('### deal-name-with-quotes: list_records drifted');
  }, 120_000);

  it('a reworded description is drift too', async () => {
    const { report } = await evalOf(['count-won-deals'], {
      alterCatalogue: changing('count_records', (tool) => ({
        ...tool,
        description: `${tool.description} Prefer list_records for small tables.`,
      })),
    });
    expect(problemsOf(report, 'count-won-deals')).toEqual([
      'drift: count_records: its declaration changed (description or parameters)',
    ]);
  }, 120_000);

  it("a filter compiler that stops escaping quotes is a wrong result: the read fails and the answer's facts are in no result", async () => {
    sabotage.escaping = true;
    try {
      const { report } = await evalOf(['deal-name-with-quotes']);
      const problems = problemsOf(report, 'deal-name-with-quotes');
      expect(problems).toEqual([
        expect.stringMatching(/^wrong result: no tool result says "Negotiation" \(failed: list_records: /),
        expect.stringMatching(/^wrong result: no tool result says "Qualified"/),
      ]);
      expect(problems.some((p) => p.startsWith('drift'))).toBe(false);
    } finally {
      sabotage.escaping = false;
    }
  }, 120_000);

  it('a handler that writes the wrong value is a wrong end state', async () => {
    const { report } = await evalOf(['create-company-with-apostrophe'], {
      alterCatalogue: changing('create_records', (tool) => ({
        ...tool,
        // Drops apostrophes from every text it writes, as a careless sanitiser would.
        handler: (input: { records: { fields: Record<string, unknown> }[] }, ctx: never) =>
          tool.handler(
            {
              ...input,
              records: input.records.map((r) => ({
                ...r,
                fields: Object.fromEntries(
                  Object.entries(r.fields).map(([k, v]) => [
                    k,
                    typeof v === 'string' ? v.replace(/'/g, '') : v,
                  ]),
                ),
              })),
            } as never,
            ctx,
          ),
      })) as never,
    });
    const problems = problemsOf(report, 'create-company-with-apostrophe');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.startsWith('wrong end state: '))).toBe(true);
    expect(problems.join('\n')).toContain("O'Brien");
  }, 120_000);

  it('a destructive tool that stops saying so (no confirmation asked) is a wrong call', async () => {
    const { report } = await evalOf(['delete-deal-approved'], {
      alterCatalogue: changing('delete_records', (tool) => ({
        ...tool,
        annotations: { ...tool.annotations, destructiveHint: false },
      })),
    });
    expect(problemsOf(report, 'delete-deal-approved')).toContain(
      'wrong call: turn 1 was to be asked for 1 more confirmation (approve), never asked for',
    );
  }, 120_000);

  it('a write tool listed to a viewer fails the catalogue check and is drift in the viewer scenario', async () => {
    const [update] = createCatalogue(OPEN_POLICY).filter((tool) => tool.name === 'update_records');
    const { report, log } = await evalOf(
      ['viewer-asks-for-update'],
      {
        // The read-only rule forgotten for viewers: the tool listed, the policy no longer read-only.
        alterCatalogue: (catalogue, role) =>
          role === 'viewer' && update
            ? { tools: [...catalogue.tools, update], policy: { ...catalogue.policy, readOnly: false } }
            : catalogue,
      },
      true,
    );
    const viewers = report.catalogue?.find((check) => check.role === 'viewer');
    // Its declaration also pushes the viewers' tools/list past its budget.
    expect(viewers?.problems).toEqual([
      'update_records is offered to viewers, but it is not read-only (readOnlyHint)',
      expect.stringMatching(/^tools\/list for viewers is \d+ tokens, over its budget of 2800$/),
    ]);
    expect(
      report.catalogue?.filter((check) => check.role !== 'viewer').every((c) => c.problems.length === 0),
    ).toBe(true);
    expect(problemsOf(report, 'viewer-asks-for-update')).toContain(
      'drift: update_records: not in the recording (re-record with --update)',
    );
    expect(log).toContain('catalogue: update_records is offered to viewers');
    expect(report.failed).toBe(2);
  }, 180_000);
});
