import { readFile, writeFile } from 'node:fs/promises';
import type { ScenarioRun } from '../runner/replay-scenario.ts';
import { headline } from './categories.ts';

/** What CI holds the replay eval to: replay is deterministic, so any drop below it is real. */
export interface Baseline {
  scenarios: number;
  endStateSuccess: number;
  toolSelectionF1: number;
}

export async function readBaseline(path: string): Promise<Baseline | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Baseline;
  } catch {
    return undefined;
  }
}

export async function writeBaseline(path: string, runs: readonly ScenarioRun[]): Promise<Baseline> {
  const { scenarios, endStateSuccess, toolSelectionF1 } = headline(runs);
  const baseline = { scenarios, endStateSuccess, toolSelectionF1 };
  await writeFile(path, `${JSON.stringify(baseline, null, 2)}\n`);
  return baseline;
}

/** How this run falls below the baseline (empty: it does not). */
export function belowBaseline(baseline: Baseline, runs: readonly ScenarioRun[]): string[] {
  const now = headline(runs);
  const drops: string[] = [];
  if (now.endStateSuccess < baseline.endStateSuccess) {
    drops.push(`below the baseline: end-state success ${now.endStateSuccess} < ${baseline.endStateSuccess}`);
  }
  if (now.toolSelectionF1 < baseline.toolSelectionF1) {
    drops.push(`below the baseline: tool selection F1 ${now.toolSelectionF1} < ${baseline.toolSelectionF1}`);
  }
  return drops;
}
