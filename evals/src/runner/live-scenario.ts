import type { RunEvent } from '@airsuite/orchestrator';
import type { Scenario } from '../scenario/scenario-schema.ts';
import { passHatK, wilson } from '../scoring/reliability.ts';
import type { EvalWorld } from './eval-world.ts';
import { converse, judgeRun, type ScenarioRun, stageFor } from './replay-scenario.ts';
import type { Transcript } from './transcript.ts';

/** One scenario over k live trials. */
export interface LiveResult {
  id: string;
  tags: string[];
  trials: ScenarioRun[];
  successes: number;
  passAt1: number;
  passAt1Interval: { low: number; high: number };
  /** pass^k for k = 1 … trials. */
  passHat: Record<number, number>;
  meanTokens: { input: number; output: number };
  meanSteps: number;
  meanWallMs: number;
  /** A transcript of the first passing trial (to replay in CI after review). */
  recorded?: Transcript;
}

/** The model's turns as the run's events show them: calls begun together are one turn. */
export function turnsOf(events: readonly RunEvent[]): Transcript['turns'] {
  const turns: Transcript['turns'] = [];
  let calls: { name: string; args: Record<string, unknown> }[] = [];
  const seen = new Set<string>();
  const flush = () => {
    if (calls.length > 0) turns.push({ functionCalls: calls });
    calls = [];
  };
  for (const event of events) {
    if (
      (event.type === 'tool_call_started' || event.type === 'approval_requested') &&
      !seen.has(event.call_id)
    ) {
      seen.add(event.call_id);
      calls.push({ name: event.name, args: event.arguments });
    } else if (event.type === 'tool_call_finished' || event.type === 'approval_decided') flush();
    else if (event.type === 'done') {
      flush();
      if (event.status !== 'awaiting_approval' && event.text) turns.push({ text: event.text });
    }
  }
  flush();
  return turns;
}

const mean = (values: readonly number[]) =>
  values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;

/**
 * Runs `scenario` `trials` times against a real model (the world's live model), each trial on
 * a fresh stage, scored as a replay is (without drift: there is nothing recorded to differ
 * from): pass@1 with its Wilson interval, pass^k, tokens, steps and time per scenario.
 */
export async function liveScenario(
  world: EvalWorld,
  scenario: Scenario,
  trials: number,
  model: string,
): Promise<LiveResult> {
  const runs: ScenarioRun[] = [];
  let recorded: Transcript | undefined;
  for (let trial = 0; trial < trials; trial++) {
    const started = performance.now();
    const stage = await stageFor(world, scenario);
    try {
      const { events, confirmations } = await converse(world, stage, scenario);
      const usage = events.filter((e) => e.type === 'usage');
      const steps = usage.reduce((total, e) => total + (e.type === 'usage' ? e.steps : 0), 0);
      const run = await judgeRun(world, scenario, {
        events,
        confirmations,
        steps,
        drift: [],
        started,
        stage,
      });
      runs.push(run);
      if (run.passed && !recorded) {
        recorded = { scenario: scenario.id, source: model, declarations: {}, turns: turnsOf(events) };
      }
    } finally {
      await stage.close();
    }
  }
  const successes = runs.filter((r) => r.passed).length;
  const passHat: Record<number, number> = {};
  for (let k = 1; k <= trials; k++) passHat[k] = passHatK(successes, trials, k);
  return {
    id: scenario.id,
    tags: scenario.tags,
    trials: runs,
    successes,
    passAt1: successes / trials,
    passAt1Interval: wilson(successes, trials),
    passHat,
    meanTokens: {
      input: mean(runs.map((r) => r.tokens.input)),
      output: mean(runs.map((r) => r.tokens.output)),
    },
    meanSteps: mean(runs.map((r) => r.steps)),
    meanWallMs: mean(runs.map((r) => r.wallMs)),
    ...(recorded ? { recorded } : {}),
  };
}
