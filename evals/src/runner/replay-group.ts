import type { GenerateContentRequestBody, RecordedRequest } from '../fake-gemini/index.ts';
import type { Scenario } from '../scenario/scenario-schema.ts';
import { resultsGiven } from '../scoring/results-contain.ts';
import type { EvalWorld } from './eval-world.ts';
import {
  converse,
  judgeRun,
  NO_MORE_TURNS,
  replayDrift,
  type ScenarioRun,
  stageFor,
} from './replay-scenario.ts';
import type { Transcript } from './transcript.ts';

export interface GroupMember {
  scenario: Scenario;
  transcript: Transcript;
}

/** The person's first message of the conversation a request belongs to. */
function openingOf(body: GenerateContentRequestBody): string {
  const first = body.contents?.find((content) => content.role === 'user');
  return (first?.parts ?? []).map((part) => part.text ?? '').join('');
}

/** Whether a model request belongs to `scenario`'s conversation (it opens with its first message). */
export const isRequestOf = (request: RecordedRequest, scenario: Scenario) =>
  openingOf(request.body).includes(scenario.turns[0]?.user ?? '\u0000');

const upstream429s = (world: EvalWorld) =>
  (world.emulator.admin.stats() as { rateLimited: number }).rateLimited;

/**
 * Replays a group's scenarios at once on one stage: one workspace, one gateway, one base and
 * Airtable's real limits, as several people chatting at the same time. The fake Gemini tells
 * the conversations apart by their opening message and answers each with its transcript's turn
 * (as many model turns as the request already holds). Each scenario is judged as alone; the
 * group passes only if Airtable answered none of its requests with a 429.
 */
export async function replayGroup(
  world: EvalWorld,
  members: readonly GroupMember[],
  transcriptsDir?: string,
): Promise<ScenarioRun[]> {
  const [first] = members;
  if (!first) return [];
  const started = performance.now();
  const stage = await stageFor(world, first.scenario);
  const firstRequest = world.gemini.requests.length;
  const limitedBefore = upstream429s(world);
  const memberOf = (request: RecordedRequest) => members.find((m) => isRequestOf(request, m.scenario));
  world.gemini.respondWith((request) => {
    const member = memberOf(request);
    const modelTurns = (request.body.contents ?? []).filter((c) => c.role === 'model').length;
    return member?.transcript.turns[modelTurns] ?? NO_MORE_TURNS;
  });
  try {
    const conversations = await Promise.all(members.map((m) => converse(world, stage, m.scenario)));
    const limited = upstream429s(world) - limitedBefore;
    const requests = world.gemini.requests.slice(firstRequest);
    const runs: ScenarioRun[] = [];
    for (const [index, member] of members.entries()) {
      const mine = requests.filter((request) => memberOf(request) === member);
      const run = await judgeRun(world, member.scenario, {
        events: conversations[index]?.events ?? [],
        confirmations: conversations[index]?.confirmations ?? [],
        steps: mine.length,
        ...(await replayDrift(member.scenario, member.transcript, mine, transcriptsDir)),
        started,
        stage,
        results: resultsGiven(mine),
      });
      if (limited > 0) {
        run.problems.push(
          `concurrency: Airtable answered ${limited} of the group's requests with 429 (the gateway must keep them within the limit)`,
        );
        run.passed = false;
      }
      runs.push(run);
    }
    return runs;
  } finally {
    await stage.close();
  }
}
