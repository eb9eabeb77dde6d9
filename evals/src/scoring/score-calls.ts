import { matchValue } from '../scenario/matchers.ts';
import type { ExpectedCall, Scenario } from '../scenario/scenario-schema.ts';

/** A tool call as the agent made it. */
export interface MadeCall {
  tool: string;
  args: unknown;
}

/** The call-side scores of one run, kept apart from the end state (BFCL's AST match). */
export interface CallScores {
  /** Over tool names, as multisets: how many made calls were expected, how many expected were made. */
  selection: { precision: number; recall: number; f1: number };
  /** Of the expected calls whose tool was called, the share whose arguments matched too. */
  argumentAccuracy: number;
  /** For no_calls scenarios: whether the agent made none; undefined otherwise. */
  abstained?: boolean;
  /** What went wrong, for a person: each missing call with why its nearest attempt failed. */
  problems: string[];
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** Precision, recall and F1 over names, counting repeats (two expected creates need two made). */
function selectionOf(expected: readonly string[], made: readonly string[]) {
  const left = [...expected];
  let hits = 0;
  for (const name of made) {
    const i = left.indexOf(name);
    if (i >= 0) {
      hits++;
      left.splice(i, 1);
    }
  }
  // Nothing expected and nothing made is perfect selection (an abstention scored elsewhere).
  const precision = made.length === 0 ? (expected.length === 0 ? 1 : 0) : hits / made.length;
  const recall = expected.length === 0 ? 1 : hits / expected.length;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision: round(precision), recall: round(recall), f1: round(f1) };
}

const argsOk = (want: ExpectedCall, call: MadeCall) =>
  want.args === undefined || matchValue(want.args, call.args).length === 0;

/**
 * Matches each expected call to a made one: loose order takes any unused call that matches;
 * strict order takes them in sequence (other calls may come between). Returns the matched
 * count, and for each expected call left over why it did not match.
 */
function matchCalls(expected: readonly ExpectedCall[], made: readonly MadeCall[], strict: boolean) {
  const used = new Set<number>();
  let cursor = 0;
  let matched = 0;
  let argumentHits = 0;
  let argumentTries = 0;
  const problems: string[] = [];
  for (const want of expected) {
    const from = strict ? cursor : 0;
    const candidates = made
      .map((call, i) => ({ call, i }))
      .filter(({ call, i }) => i >= from && !used.has(i) && call.tool === want.tool);
    if (candidates.length > 0) argumentTries++;
    const hit = candidates.find(({ call }) => argsOk(want, call));
    if (hit) {
      used.add(hit.i);
      cursor = hit.i + 1;
      matched++;
      argumentHits++;
      continue;
    }
    const nearest = candidates[0];
    if (!nearest) {
      const earlier = strict && made.some((call, i) => i < from && call.tool === want.tool);
      problems.push(`wrong call: ${want.tool} was ${earlier ? 'called only out of order' : 'not called'}`);
    } else {
      const why = matchValue(want.args, nearest.call.args)
        .map((m) => `${m.path || 'arguments'}: ${m.message}`)
        .join('; ');
      problems.push(`wrong call: ${want.tool} was called with other arguments (${why})`);
    }
  }
  return {
    matched,
    argumentAccuracy: argumentTries === 0 ? 1 : round(argumentHits / argumentTries),
    problems,
  };
}

/** Scores the calls of one run of `scenario`. */
export function scoreCalls(scenario: Scenario, made: readonly MadeCall[]): CallScores {
  const { expect } = scenario;
  const { argumentAccuracy, problems } = matchCalls(expect.calls, made, expect.order === 'strict');
  for (const forbidden of expect.forbidden) {
    const rule = typeof forbidden === 'string' ? { tool: forbidden } : forbidden;
    const broke = made.find((call) => call.tool === rule.tool && argsOk(rule, call));
    if (broke) problems.push(`forbidden call: ${rule.tool} was called (${JSON.stringify(broke.args)})`);
  }
  if (expect.no_calls && made.length > 0) {
    problems.push(
      `no call expected, but ${made.map((c) => c.tool).join(', ')} ${made.length === 1 ? 'was' : 'were'} called`,
    );
  }
  return {
    // A scenario that names no calls and asks no abstention leaves selection to its forbidden
    // list: a harmless look-up (a viewer's whoami) is not a wrong selection.
    selection:
      expect.calls.length === 0 && !expect.no_calls
        ? { precision: 1, recall: 1, f1: 1 }
        : selectionOf(
            expect.calls.map((c) => c.tool),
            made.map((c) => c.tool),
          ),
    argumentAccuracy,
    ...(expect.no_calls ? { abstained: made.length === 0 } : {}),
    problems,
  };
}
