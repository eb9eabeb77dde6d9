import type { RunEvent } from '@airsuite/orchestrator';
import type { RecordedRequest, ScriptedTurn } from '../fake-gemini/index.ts';
import type { Scenario } from '../scenario/scenario-schema.ts';
import { checkEndState, emulatorTableReader } from '../scoring/end-state.ts';
import { checkPlatformState } from '../scoring/platform-state.ts';
import { type FailedCall, resultProblems, resultsGiven } from '../scoring/results-contain.ts';
import { type CallScores, type MadeCall, scoreCalls } from '../scoring/score-calls.ts';
import { runBeforeActions } from './before-actions.ts';
import type { EvalWorld, Stage } from './eval-world.ts';
import { calledTools, declarationsOf, driftDiffs, driftOf, type Transcript } from './transcript.ts';

/** One run of one scenario, scored. */
export interface ScenarioRun {
  id: string;
  tags: string[];
  /** The end state holds, no call-side problem, no drift: what the eval counts as a pass. */
  passed: boolean;
  endStateOk: boolean;
  calls: MadeCall[];
  scores: CallScores;
  /** Tools whose declarations changed since the transcript was recorded. */
  drift: string[];
  /** For each tool whose declaration changed: the changed lines, recorded (-) and now (+). */
  driftDiff: Record<string, string[]>;
  /** Every problem, each beginning with its kind: drift, wrong call, forbidden call, wrong end state, wrong result, wrong answer, run. */
  problems: string[];
  answer: string;
  steps: number;
  tokens: { input: number; output: number };
  wallMs: number;
}

export const NO_MORE_TURNS: ScriptedTurn = {
  error: { code: 500, message: 'the transcript has no more model turns', status: 'INTERNAL' },
};

/** Runs the user turns, answering each confirmation the run pauses for with the turn's approvals. */
export async function converse(
  world: EvalWorld,
  stage: Awaited<ReturnType<EvalWorld['stage']>>,
  scenario: Scenario,
): Promise<{ events: RunEvent[]; confirmations: string[] }> {
  const events: RunEvent[] = [];
  // Confirmations asked for and not given, or given and never asked for: a broken approval policy.
  const confirmations: string[] = [];
  const conversation = await stage.chat.create(stage.caller);
  // A decided approval resumes a run whose earlier events were already read: only new ones count.
  const seen = new Map<string, number>();
  for (const [index, turn] of scenario.turns.entries()) {
    await runBeforeActions(world, turn.before);
    const run = await stage.chat.send(stage.caller, conversation.id, turn.user);
    let runId = run.id;
    const approvals = [...turn.approvals];
    for (;;) {
      const stored = await stage.chat.store.eventsAfter(runId, 0);
      const runEvents = stored.map((s) => s.event);
      events.push(...runEvents.slice(seen.get(runId) ?? 0));
      seen.set(runId, runEvents.length);
      const done = runEvents.at(-1);
      if (done?.type !== 'done' || done.status !== 'awaiting_approval') break;
      const pending = [...runEvents].reverse().find((e) => e.type === 'approval_requested');
      const answer = approvals.shift();
      if (pending?.type !== 'approval_requested') break;
      if (answer === undefined) {
        confirmations.push(
          `wrong call: turn ${index + 1} paused to confirm ${pending.name}, and the scenario gives no answer for it`,
        );
        break;
      }
      const decision =
        typeof answer === 'string'
          ? { decision: answer }
          : { decision: 'edit' as const, arguments: answer.edit };
      const decided = await stage.chat.decide(
        stage.caller,
        conversation.id,
        pending.approval_id,
        decision as never,
      );
      runId = decided.run.id;
    }
    if (approvals.length > 0) {
      confirmations.push(
        `wrong call: turn ${index + 1} was to be asked for ${approvals.length} more confirmation${approvals.length === 1 ? '' : 's'} (${approvals.map((a) => (typeof a === 'string' ? a : 'edit')).join(', ')}), never asked for`,
      );
    }
  }
  return { events, confirmations };
}

function summarise(events: readonly RunEvent[]) {
  const calls: MadeCall[] = [];
  const tokens = { input: 0, output: 0 };
  let answer = '';
  const failures: string[] = [];
  const failed: FailedCall[] = [];
  // A call the person was asked to confirm is the model's call whatever they decide: counted
  // once, with the model's own arguments (an edit changes what runs, not what was asked).
  const byId = new Set<string>();
  for (const event of events) {
    if (
      (event.type === 'tool_call_started' || event.type === 'approval_requested') &&
      !byId.has(event.call_id)
    ) {
      byId.add(event.call_id);
      calls.push({ tool: event.name, args: event.arguments });
    }
    if (event.type === 'usage') {
      tokens.input += event.prompt_tokens;
      tokens.output += event.output_tokens;
    }
    if (event.type === 'tool_call_finished' && !event.ok) {
      failed.push({ tool: event.name, error: `${event.code ?? 'failed'}: ${event.summary}` });
    }
    if (event.type === 'done') answer = event.text;
    if (event.type === 'error') failures.push(`run: ${event.code}: ${event.message}`);
  }
  return { calls, tokens, answer, failures, failed };
}

/** Scores one finished run of `scenario`: calls, confirmations, end state, results, answer, steps. */
export async function judgeRun(
  world: EvalWorld,
  scenario: Scenario,
  run: {
    events: readonly RunEvent[];
    /** Confirmations the run asked for unanswered, or the scenario answered and never got asked. */
    confirmations?: readonly string[];
    steps: number;
    drift: string[];
    driftDiff?: Record<string, string[]>;
    started: number;
    stage: Stage;
    /** The tool results the model was given, when known (replay): checked against results_contain. */
    results?: readonly string[];
  },
): Promise<ScenarioRun> {
  const { calls, tokens, answer, failures, failed } = summarise(run.events);
  const scores = scoreCalls(scenario, calls);
  const endState = [
    ...(await checkEndState(emulatorTableReader(world.emulator), scenario.expect.state)),
    ...(await checkPlatformState(run.stage.platform, run.stage.caller.access, scenario.expect.platform)),
  ];
  const missing = scenario.expect.answer_contains.filter(
    (s) => !answer.toLowerCase().includes(s.toLowerCase()),
  );
  const problems = [
    ...run.drift.map((d) => `drift: ${d}`),
    ...failures,
    ...scores.problems,
    ...(run.confirmations ?? []),
    ...endState,
    ...(run.results ? resultProblems(run.results, scenario.expect.results_contain, failed) : []),
    ...missing.map((s) => `wrong answer: it does not say "${s}"`),
    ...(run.steps > scenario.expect.max_steps
      ? [`too many steps: ${run.steps} model turns, at most ${scenario.expect.max_steps}`]
      : []),
  ];
  return {
    id: scenario.id,
    tags: scenario.tags,
    passed: problems.length === 0,
    endStateOk: endState.length === 0,
    calls,
    scores,
    drift: run.drift,
    driftDiff: run.driftDiff ?? {},
    problems,
    answer,
    steps: run.steps,
    tokens,
    wallMs: Math.round(performance.now() - run.started),
  };
}

/**
 * How the tools a replay depends on (those its turns call or its scenario names) were declared
 * in its first request, against the recording: the drift, and each drifted tool's line diff.
 */
export async function replayDrift(
  scenario: Scenario,
  transcript: Transcript,
  requests: readonly RecordedRequest[],
  transcriptsDir?: string,
): Promise<{ drift: string[]; driftDiff: Record<string, string[]> }> {
  const named = [
    ...calledTools(transcript.turns),
    ...scenario.expect.calls.map((c) => c.tool),
    ...scenario.expect.forbidden.map((f) => (typeof f === 'string' ? f : f.tool)),
  ];
  const first = requests[0];
  if (!first) return { drift: [], driftDiff: {} };
  const drift = driftOf(transcript.declarations, declarationsOf(first.body), named);
  if (!transcriptsDir || drift.length === 0) return { drift, driftDiff: {} };
  const diffs = await driftDiffs(transcriptsDir, transcript.declarations, first.body);
  // Only the tools the drift names: a change elsewhere in the catalogue is not this scenario's.
  const driftDiff = Object.fromEntries(
    Object.entries(diffs).filter(([tool]) => drift.some((d) => d.startsWith(`${tool}: `))),
  );
  return { drift, driftDiff };
}

/** The stage a scenario runs on: its seed and its caller's role. */
export const stageFor = (world: EvalWorld, scenario: Scenario) =>
  world.stage(scenario.fixtures.includes('empty') ? 'empty' : 'sample', scenario.role, scenario.plugins);

/**
 * Replays `transcript` for `scenario` through the real stack — the fake Gemini answers the
 * real SDK with the recorded turns, the real chat loop calls the real MCP server, the gateway
 * and the emulator — then scores the calls made and the end state, and reports drift when the
 * tools the replay depends on no longer look as they did when it was recorded.
 */
export async function replayScenario(
  world: EvalWorld,
  scenario: Scenario,
  transcript: Transcript,
  /** Where the recorded declarations are kept, for drift's diff. */
  transcriptsDir?: string,
): Promise<ScenarioRun> {
  const started = performance.now();
  const stage = await stageFor(world, scenario);
  const firstRequest = world.gemini.requests.length;
  let next = 0;
  world.gemini.respondWith(() => transcript.turns[next++] ?? NO_MORE_TURNS);
  try {
    const { events, confirmations } = await converse(world, stage, scenario);
    const requests = world.gemini.requests.slice(firstRequest);
    return await judgeRun(world, scenario, {
      events,
      confirmations,
      steps: requests.length,
      ...(await replayDrift(scenario, transcript, requests, transcriptsDir)),
      started,
      stage,
      results: resultsGiven(requests),
    });
  } finally {
    await stage.close();
  }
}
