import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openEvalWorld } from './runner/eval-world.ts';
import { type LiveResult, liveScenario } from './runner/live-scenario.ts';
import { writeTranscript } from './runner/transcript.ts';
import { loadScenarios } from './scenario/load-scenarios.ts';
import { type Reliability, reliability } from './scoring/reliability.ts';

const EVALS = fileURLToPath(new URL('..', import.meta.url));

export interface LiveOptions {
  apiKey: string;
  model: string;
  /** Google's API when absent; the specs point it at a fake Gemini standing in for Google. */
  baseUrl?: string;
  trials: number;
  scenariosDir?: string;
  resultsDir?: string;
  /** Where --record writes the first passing trial of each scenario. */
  transcriptsDir?: string;
  record?: boolean;
  only?: string;
  log?: (line: string) => void;
}

export interface LiveReport {
  at: string;
  mode: 'live';
  model: string;
  trials: number;
  results: LiveResult[];
  overall: Reliability;
}

const pct = (n: number) => `${Math.round(n * 100)}%`;

export function liveSummaryLines(report: LiveReport): string[] {
  const k = report.trials;
  const lines = [
    `scenario                           pass@1 [95% CI]     pass^${k}  tokens in/out  steps  ms`,
  ];
  for (const r of report.results) {
    lines.push(
      `${r.id.slice(0, 34).padEnd(34)} ${pct(r.passAt1).padStart(4)} [${pct(r.passAt1Interval.low)}–${pct(r.passAt1Interval.high)}]`.padEnd(
        55,
      ) +
        ` ${pct(r.passHat[k] ?? 0).padStart(5)}  ${Math.round(r.meanTokens.input)}/${Math.round(r.meanTokens.output)}  ${r.meanSteps.toFixed(1)}  ${Math.round(r.meanWallMs)}`,
    );
    for (const problem of new Set(r.trials.flatMap((t) => t.problems))) lines.push(`    ${problem}`);
  }
  const o = report.overall;
  lines.push(
    `${report.model}, ${o.scenarios} scenarios × ${k} trials: pass@1 ${pct(o.passAt1)} [${pct(o.passAt1Interval.low)}–${pct(o.passAt1Interval.high)}], pass^${k} ${pct(o.passHat[k] ?? 0)}`,
  );
  return lines;
}

/**
 * `npm run eval -- --live --trials 4`: each scenario run `trials` times against a real model
 * (GEMINI_API_KEY, GEMINI_MODEL or --model, GEMINI_BASE_URL), scored as replays are, with
 * pass@1, its Wilson interval and pass^k per scenario and overall; --record keeps the first
 * passing trial of each as its transcript, to replay in CI once reviewed (then --update).
 */
export async function runLiveEvals(options: LiveOptions): Promise<LiveReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const scenarios = (await loadScenarios(options.scenariosDir ?? join(EVALS, 'scenarios'))).filter(
    ({ scenario }) => !options.only || scenario.id.includes(options.only),
  );
  const world = await openEvalWorld({
    live: {
      apiKey: options.apiKey,
      model: options.model,
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    },
  });
  const results: LiveResult[] = [];
  try {
    for (const { scenario } of scenarios) {
      const result = await liveScenario(world, scenario, options.trials, options.model);
      results.push(result);
      if (options.record && result.recorded) {
        await writeTranscript(options.transcriptsDir ?? join(EVALS, 'transcripts'), result.recorded);
      }
    }
  } finally {
    await world.close();
  }
  const report: LiveReport = {
    at: new Date().toISOString(),
    mode: 'live',
    model: options.model,
    trials: options.trials,
    results,
    overall: reliability(results.map((r) => ({ successes: r.successes, trials: options.trials }))),
  };
  for (const line of liveSummaryLines(report)) log(line);
  const dir = options.resultsDir ?? join(EVALS, 'results');
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, `live-${report.at.replace(/[:.]/g, '-')}.json`),
    `${JSON.stringify(report, null, 2)}\n`,
  );
  return report;
}
