import type { ScenarioRun } from '../runner/replay-scenario.ts';

/** One tag's share of passes, end states and tokens over the scenarios that carry it. */
export interface CategoryScore {
  tag: string;
  scenarios: number;
  passed: number;
  endStateOk: number;
  meanF1: number;
  meanTokens: number;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export function categoryScores(runs: readonly ScenarioRun[]): CategoryScore[] {
  const tags = [...new Set(runs.flatMap((run) => run.tags))].sort();
  return tags.map((tag) => {
    const tagged = runs.filter((run) => run.tags.includes(tag));
    const sum = (pick: (run: ScenarioRun) => number) => tagged.reduce((total, run) => total + pick(run), 0);
    return {
      tag,
      scenarios: tagged.length,
      passed: tagged.filter((run) => run.passed).length,
      endStateOk: tagged.filter((run) => run.endStateOk).length,
      meanF1: round(sum((run) => run.scores.selection.f1) / tagged.length),
      meanTokens: Math.round(sum((run) => run.tokens.input + run.tokens.output) / tagged.length),
    };
  });
}

/** The headline figures a baseline holds and CI compares: end-state success and tool selection. */
export function headline(runs: readonly ScenarioRun[]) {
  const n = runs.length || 1;
  return {
    scenarios: runs.length,
    endStateSuccess: round(runs.filter((run) => run.endStateOk).length / n),
    passRate: round(runs.filter((run) => run.passed).length / n),
    toolSelectionF1: round(runs.reduce((total, run) => total + run.scores.selection.f1, 0) / n),
  };
}
