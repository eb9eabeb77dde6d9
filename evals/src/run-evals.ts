import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_GEMINI_MODEL } from '@airsuite/orchestrator';
import { type CatalogueCheck, checkCatalogue, TOOLS_LIST_TOKEN_BUDGET } from './catalogue/check-catalogue.ts';
import { belowBaseline, readBaseline, writeBaseline } from './report/baseline.ts';
import { categoryScores } from './report/categories.ts';
import { markdownReport } from './report/markdown-report.ts';
import { categoryChart } from './report/svg-chart.ts';
import { runLiveEvals } from './run-live-evals.ts';
import { type EvalWorld, type EvalWorldOptions, openEvalWorld } from './runner/eval-world.ts';
import type { McpTransportKind } from './runner/mcp-client.ts';
import type { McpRun } from './runner/mcp-scenario.ts';
import type { ScenarioRun } from './runner/replay-scenario.ts';
import { runScenarios } from './runner/run-scenarios.ts';
import { loadScenarios, ScenarioError } from './scenario/load-scenarios.ts';

const EVALS = fileURLToPath(new URL('..', import.meta.url));

export interface EvalOptions {
  scenariosDir?: string;
  transcriptsDir?: string;
  resultsDir?: string;
  /** Only scenarios whose id contains this. */
  only?: string;
  /** After review: store the current tool declarations in each transcript that drifted. */
  update?: boolean;
  /** `mcp`: the transcripts' calls straight against the MCP server, no model (see runMcpScenario). */
  mode?: 'replay' | 'mcp';
  /** The MCP transports an `mcp` run uses (default both: Streamable HTTP and stdio). */
  transports?: readonly McpTransportKind[];
  /** Whether to run the static catalogue checks first (replay mode; default true). */
  catalogue?: boolean;
  /** The committed baseline (default evals/baseline.json); compared in full replay runs. */
  baselinePath?: string;
  /** Store this run's figures as the new baseline (after review). */
  writeBaseline?: boolean;
  log?: (line: string) => void;
  /**
   * The world the scenarios run in: its options (a spec's deliberately broken catalogue), or one
   * already open, which the run uses and leaves open (specs share one across runs).
   */
  world?: EvalWorldOptions | EvalWorld;
}

export interface EvalReport {
  at: string;
  mode: 'replay' | 'mcp';
  runs: ScenarioRun[];
  mcpRuns?: McpRun[];
  /** The static checks of each role's catalogue (replay mode). */
  catalogue?: CatalogueCheck[];
  /** How a full replay run falls below the committed baseline. */
  belowBaseline?: string[];
  passed: number;
  failed: number;
}

const MCP_TRANSPORTS: readonly McpTransportKind[] = ['http', 'stdio'];

const pad = (text: string, width: number) => text.slice(0, width).padEnd(width);

function catalogueLines(checks: readonly CatalogueCheck[]): string[] {
  const lines = checks.map(
    (c) =>
      `catalogue for ${c.role}s: ${c.tools} tools, ${c.tokens} tokens of tools/list (budget ${TOOLS_LIST_TOKEN_BUDGET[c.role]})${c.problems.length ? '' : ', ok'}`,
  );
  for (const problem of new Set(checks.flatMap((c) => c.problems))) lines.push(`    catalogue: ${problem}`);
  return lines;
}

/** The summary table for the CI log: one line per scenario, its problems under it. */
export function summaryLines(report: EvalReport): string[] {
  const lines = [
    ...catalogueLines(report.catalogue ?? []),
    report.mode === 'mcp'
      ? `${pad('scenario (transport)', 42)} ${pad('result', 6)} calls made`
      : `${pad('scenario', 34)} ${pad('result', 6)} ${pad('F1', 5)} ${pad('args', 5)} steps  tokens in/out`,
  ];
  for (const run of report.runs) {
    lines.push(
      `${pad(run.id, 34)} ${pad(run.passed ? 'pass' : 'FAIL', 6)} ${pad(run.scores.selection.f1.toFixed(2), 5)} ${pad(run.scores.argumentAccuracy.toFixed(2), 5)} ${String(run.steps).padStart(5)}  ${run.tokens.input}/${run.tokens.output}`,
    );
    for (const problem of run.problems) lines.push(`    ${problem}`);
    for (const [tool, diff] of Object.entries(run.driftDiff)) {
      lines.push(`    ${tool}, as recorded (-) and now (+):`, ...diff.map((line) => `      ${line}`));
    }
  }
  for (const run of report.mcpRuns ?? []) {
    const made = run.calls.map((c) => `${c.tool}${c.skipped ? ' (denied)' : c.ok ? '' : ' ✗'}`).join(', ');
    lines.push(`${pad(`${run.id} (${run.transport})`, 42)} ${pad(run.passed ? 'pass' : 'FAIL', 6)} ${made}`);
    for (const problem of run.problems) lines.push(`    ${problem}`);
  }
  const total = report.runs.length + (report.mcpRuns?.length ?? 0);
  lines.push(`${report.passed} passed, ${report.failed} failed of ${total} scenarios (${report.mode})`);
  return lines;
}

/** The run's JSON, its Markdown report and the report's chart, under one time stamp. */
async function writeResults(dir: string, report: EvalReport): Promise<void> {
  await mkdir(dir, { recursive: true });
  const stamp = report.at.replace(/[:.]/g, '-');
  await writeFile(join(dir, `${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);
  if (report.mode !== 'replay') return;
  await writeFile(join(dir, `${stamp}.svg`), categoryChart(categoryScores(report.runs)));
  await writeFile(join(dir, `${stamp}.md`), markdownReport(report, `${stamp}.svg`));
}

/**
 * `npm run eval`: every scenario replayed through the real stack, scored, summarised, and
 * written to evals/results/ (JSON and Markdown). Resolves with the report; a scenario without
 * a transcript or with an invalid file is a failure, never skipped silently.
 */
export async function runEvals(options: EvalOptions = {}): Promise<EvalReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const scenarios = (await loadScenarios(options.scenariosDir ?? join(EVALS, 'scenarios'))).filter(
    ({ scenario }) => !options.only || scenario.id.includes(options.only),
  );
  const transcripts = options.transcriptsDir ?? join(EVALS, 'transcripts');
  const given = options.world && 'stage' in options.world ? options.world : undefined;
  const world = given ?? (await openEvalWorld(options.world as EvalWorldOptions | undefined));
  const runs: ScenarioRun[] = [];
  const mcpRuns: McpRun[] = [];
  const missing: string[] = [];
  let catalogue: CatalogueCheck[] | undefined;
  try {
    if (options.mode !== 'mcp' && options.catalogue !== false) {
      catalogue = await checkCatalogue(world, ['viewer', 'editor', 'admin', 'owner']);
    }
    const outcome = await runScenarios(world, scenarios, {
      transcriptsDir: transcripts,
      mode: options.mode ?? 'replay',
      transports: options.transports ?? MCP_TRANSPORTS,
      update: options.update ?? false,
    });
    runs.push(...outcome.runs);
    mcpRuns.push(...outcome.mcpRuns);
    missing.push(...outcome.missing);
  } finally {
    if (!given) await world.close();
  }
  const all = [...runs, ...mcpRuns];
  const report: EvalReport = {
    at: new Date().toISOString(),
    mode: options.mode ?? 'replay',
    runs,
    ...(options.mode === 'mcp' ? { mcpRuns } : {}),
    ...(catalogue ? { catalogue } : {}),
    passed: all.filter((r) => r.passed).length,
    failed:
      all.filter((r) => !r.passed).length +
      missing.length +
      (catalogue ?? []).filter((c) => c.problems.length > 0).length,
  };
  // A baseline describes the committed scenarios: compared when they all run (or one is named).
  if (report.mode === 'replay' && !options.only && (options.baselinePath || !options.scenariosDir)) {
    const path = options.baselinePath ?? join(EVALS, 'baseline.json');
    if (options.writeBaseline) await writeBaseline(path, runs);
    const baseline = await readBaseline(path);
    report.belowBaseline = baseline
      ? belowBaseline(baseline, runs)
      : [`no baseline at ${path} (write one with --baseline)`];
    if (report.belowBaseline.length > 0) report.failed += 1;
  }
  const lines = [
    ...summaryLines(report),
    ...missing.map((m) => `missing transcript: ${m}`),
    ...(report.belowBaseline ?? []),
  ];
  for (const line of lines) log(line);
  await writeResults(options.resultsDir ?? join(EVALS, 'results'), report);
  return report;
}

async function live(values: {
  only?: string;
  trials: string;
  model?: string;
  record: boolean;
}): Promise<number> {
  const apiKey = process.env.GEMINI_API_KEY?.trim();
  if (!apiKey) {
    console.error('--live needs GEMINI_API_KEY (a Gemini API key from Google AI Studio); replay needs none');
    return 2;
  }
  const trials = Number(values.trials);
  if (!Number.isInteger(trials) || trials < 1 || trials > 20) {
    console.error(`--trials must be a whole number from 1 to 20, got ${values.trials}`);
    return 2;
  }
  const report = await runLiveEvals({
    apiKey,
    model: values.model ?? process.env.GEMINI_MODEL ?? DEFAULT_GEMINI_MODEL,
    ...(process.env.GEMINI_BASE_URL ? { baseUrl: process.env.GEMINI_BASE_URL } : {}),
    trials,
    record: values.record,
    ...(values.only ? { only: values.only } : {}),
  });
  return report.results.every((r) => r.successes === trials) ? 0 : 1;
}

/** `npm run eval -- …`'s flags (the READMEs' examples are checked against them). */
export const EVAL_FLAGS = {
  only: { type: 'string' },
  update: { type: 'boolean', default: false },
  mcp: { type: 'boolean', default: false },
  transport: { type: 'string' },
  baseline: { type: 'boolean', default: false },
  live: { type: 'boolean', default: false },
  trials: { type: 'string', default: '4' },
  model: { type: 'string' },
  record: { type: 'boolean', default: false },
} as const;

async function main(): Promise<number> {
  let values: ReturnType<typeof parseArgs<{ options: typeof EVAL_FLAGS }>>['values'];
  try {
    values = parseArgs({ options: EVAL_FLAGS }).values;
  } catch (error) {
    // An unknown or malformed flag: say so in one line, with the flags there are.
    console.error(
      `${(error as Error).message}; flags: ${Object.keys(EVAL_FLAGS)
        .map((f) => `--${f}`)
        .join(' ')}`,
    );
    return 2;
  }
  const transport = values.transport;
  if (transport !== undefined && !MCP_TRANSPORTS.includes(transport as McpTransportKind)) {
    console.error(`--transport must be http or stdio, got ${transport}`);
    return 2;
  }
  try {
    if (values.live) return await live(values);
    const report = await runEvals({
      ...(values.only ? { only: values.only } : {}),
      update: values.update,
      mode: values.mcp ? 'mcp' : 'replay',
      ...(transport ? { transports: [transport as McpTransportKind] } : {}),
      writeBaseline: values.baseline,
    });
    return report.failed === 0 ? 0 : 1;
  } catch (error) {
    if (error instanceof ScenarioError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then((code) => process.exit(code));
}
