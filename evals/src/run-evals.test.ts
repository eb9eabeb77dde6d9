import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyScenarios, editTranscript } from './eval-spec-kit.ts';
import { type EvalReport, runEvals } from './run-evals.ts';
import { type EvalWorld, openEvalWorld } from './runner/eval-world.ts';

/**
 * The replay eval tells a good run from a broken one and says why: a transcript whose calls
 * write the wrong value fails on the end state, one whose arguments miss the scenario's
 * matchers fails as a wrong call, one recorded against other tool declarations fails as
 * drift, and a scenario without a transcript is a failure, never skipped. Each run of the
 * whole stack (fake Gemini, SDK, chat loop, MCP server, gateway, emulator) is real.
 */

let work: string;
const copy = (ids: string[]) => copyScenarios(work, ids);

/** The company the create transcript writes lands in another industry: a handler writing the wrong value. */
function setIndustry(transcript: Record<string, unknown>, industry: string): void {
  const [first] = transcript.turns as {
    functionCalls: { args: { records: { fields: Record<string, string> }[] } }[];
  }[];
  const fields = first?.functionCalls[0]?.args.records[0]?.fields;
  if (!fields) throw new Error('the create transcript has no record to change');
  fields.Industry = industry;
}

const run = (dir: string, mode: 'replay' | 'mcp' = 'replay'): Promise<EvalReport> =>
  runEvals({
    mode,
    scenariosDir: join(dir, 'scenarios'),
    transcriptsDir: join(dir, 'transcripts'),
    resultsDir: join(dir, 'results'),
    catalogue: false,
    world,
    log: () => {},
  });

// One world for every run (opening one is the slow part); each scenario still gets a fresh stage.
let world: EvalWorld;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'airsuite-evals-spec-'));
  world = await openEvalWorld();
}, 60_000);
afterAll(async () => {
  await world.close();
  await rm(work, { recursive: true, force: true });
});

describe('npm run eval (replay)', () => {
  it('passes the committed scenarios with their transcripts', async () => {
    const report = await run(
      await copy([
        'count-won-deals',
        'create-company-with-apostrophe',
        'irrelevant-weather',
        'delete-denied',
      ]),
    );
    expect(report.runs.map((r) => [r.id, r.problems])).toEqual([
      ['count-won-deals', []],
      ['create-company-with-apostrophe', []],
      ['delete-denied', []],
      ['irrelevant-weather', []],
    ]);
  }, 120_000);

  it('names what breaks: a wrong value written (end state), a call with other arguments (wrong call)', async () => {
    const dir = await copy(['create-company-with-apostrophe', 'count-won-deals']);
    // A handler that writes the wrong value: the company lands in another industry.
    await editTranscript(dir, 'create-company-with-apostrophe', (t) => setIndustry(t, 'Healthcare'));
    // A call with other arguments: counting the lost deals instead.
    await editTranscript(dir, 'count-won-deals', (t) => {
      const [first] = t.turns as { functionCalls: { args: { filter: { field: string }[] } }[] }[];
      (first?.functionCalls[0]?.args.filter as { field: string }[])[0] = { field: 'Owner' } as never;
    });
    const report = await run(dir);
    const byId = Object.fromEntries(report.runs.map((r) => [r.id, r]));
    expect(byId['create-company-with-apostrophe']?.passed).toBe(false);
    expect(byId['create-company-with-apostrophe']?.endStateOk).toBe(false);
    expect(byId['create-company-with-apostrophe']?.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^wrong end state: .*Industry: expected "Retail", got "Healthcare"/),
      ]),
    );
    expect(byId['count-won-deals']?.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^wrong call: count_records was called with other arguments/),
      ]),
    );
    expect(report.failed).toBe(2);
    const [file] = await readdir(join(dir, 'results'));
    const written = JSON.parse(await readFile(join(dir, 'results', file as string), 'utf8'));
    expect(written.runs).toHaveLength(2);
  }, 120_000);

  it('reports drift when a tool the transcript depends on changed since it was recorded, and a missing transcript', async () => {
    const dir = await copy(['irrelevant-weather', 'count-won-deals']);
    await editTranscript(dir, 'count-won-deals', (t) => {
      (t.declarations as Record<string, string>).count_records = '0000000000000000';
    });
    await rm(join(dir, 'transcripts', 'irrelevant-weather.json'));
    const report = await run(dir);
    expect(report.runs.map((r) => r.id)).toEqual(['count-won-deals']);
    expect(report.runs[0]?.problems).toEqual([
      'drift: count_records: its declaration changed (description or parameters)',
    ]);
    expect(report.failed).toBe(2);
  }, 120_000);

  it('runs the same calls straight against the MCP server (no model) over HTTP and stdio, telling a server regression from a model one', async () => {
    const dir = await copy(['create-company-with-apostrophe', 'delete-denied']);
    const good = await run(dir, 'mcp');
    expect(
      good.mcpRuns?.map((r) => [r.id, r.transport, r.passed, r.calls.map((c) => c.skipped ?? c.tool)]),
    ).toEqual([
      ['create-company-with-apostrophe', 'http', true, ['create_records']],
      ['create-company-with-apostrophe', 'stdio', true, ['create_records']],
      ['delete-denied', 'http', true, ['list_records', 'denied']],
      ['delete-denied', 'stdio', true, ['list_records', 'denied']],
    ]);
    await editTranscript(dir, 'create-company-with-apostrophe', (t) => setIndustry(t, 'Healthcare'));
    const broken = await run(dir, 'mcp');
    expect(broken.mcpRuns?.filter((r) => !r.passed).map((r) => [r.transport, r.problems])).toEqual([
      ['http', [expect.stringMatching(/^wrong end state: .*Industry/)]],
      ['stdio', [expect.stringMatching(/^wrong end state: .*Industry/)]],
    ]);
  }, 120_000);

  it('writes a Markdown report with its chart, and fails below the committed baseline', async () => {
    const dir = await copy(['create-company-with-apostrophe', 'irrelevant-weather']);
    const baselinePath = join(dir, 'baseline.json');
    const options = {
      scenariosDir: join(dir, 'scenarios'),
      transcriptsDir: join(dir, 'transcripts'),
      catalogue: false,
      world,
      log: () => {},
    };
    const first = await runEvals({
      ...options,
      resultsDir: join(dir, 'first'),
      baselinePath,
      writeBaseline: true,
    });
    expect(first.belowBaseline).toEqual([]);
    expect(JSON.parse(await readFile(baselinePath, 'utf8'))).toEqual({
      scenarios: 2,
      endStateSuccess: 1,
      toolSelectionF1: 1,
    });
    const files = (await readdir(join(dir, 'first'))).sort();
    expect(files.map((f) => f.replace(/^.*\./, ''))).toEqual(['json', 'md', 'svg']);
    const markdown = await readFile(
      join(dir, 'first', files.find((f) => f.endsWith('.md')) as string),
      'utf8',
    );
    expect(markdown).toContain('| writing | 1 | 1 | 1 | 1.00 |');
    expect(markdown).toMatch(/!\[Success and tokens per category\]\(.*\.svg\)/);
    const svg = await readFile(join(dir, 'first', files.find((f) => f.endsWith('.svg')) as string), 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);

    await editTranscript(dir, 'create-company-with-apostrophe', (t) => setIndustry(t, 'Healthcare'));
    const second = await runEvals({ ...options, resultsDir: join(dir, 'second'), baselinePath });
    expect(second.belowBaseline).toEqual(['below the baseline: end-state success 0.5 < 1']);
  }, 120_000);
});
