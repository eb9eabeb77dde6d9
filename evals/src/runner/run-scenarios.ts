import { join } from 'node:path';
import type { LoadedScenario } from '../scenario/load-scenarios.ts';
import type { EvalWorld } from './eval-world.ts';
import type { McpTransportKind } from './mcp-client.ts';
import { type McpRun, runMcpScenario } from './mcp-scenario.ts';
import { type GroupMember, isRequestOf, replayGroup } from './replay-group.ts';
import { replayScenario, type ScenarioRun } from './replay-scenario.ts';
import {
  declarationsOf,
  readTranscript,
  storeDeclarations,
  type Transcript,
  writeTranscript,
} from './transcript.ts';

export interface RunSettings {
  transcriptsDir: string;
  mode: 'replay' | 'mcp';
  transports: readonly McpTransportKind[];
  /** After review: keep the current declarations, and store them in transcripts that drifted. */
  update: boolean;
}

export interface ScenarioOutcomes {
  runs: ScenarioRun[];
  mcpRuns: McpRun[];
  /** Scenarios without a transcript: failures, never skipped silently. */
  missing: string[];
}

/** Replays one member set (a lone scenario, or a group at once). */
async function replay(world: EvalWorld, members: readonly GroupMember[], dir: string) {
  const [only] = members;
  if (only && members.length === 1 && !only.scenario.group) {
    return [await replayScenario(world, only.scenario, only.transcript, dir)];
  }
  return replayGroup(world, members, dir);
}

/**
 * With --update: keeps the declarations each member was replayed against (for the next drift's
 * diff) and re-records those that drifted; true when a transcript was rewritten.
 */
async function updateDeclarations(
  world: EvalWorld,
  members: GroupMember[],
  runs: readonly ScenarioRun[],
  dir: string,
  firstRequest: number,
): Promise<boolean> {
  const requests = world.gemini.requests.slice(firstRequest);
  let rewritten = false;
  for (const [index, member] of members.entries()) {
    const mine = requests.filter((request) => isRequestOf(request, member.scenario));
    const last = mine.at(-1) ?? requests.at(-1);
    if (!last) continue;
    await storeDeclarations(dir, last.body);
    if ((runs[index]?.drift.length ?? 0) === 0) continue;
    const updated: Transcript = { ...member.transcript, declarations: declarationsOf(last.body) };
    await writeTranscript(dir, updated);
    members[index] = { ...member, transcript: updated };
    rewritten = true;
  }
  return rewritten;
}

/**
 * Runs the scenarios in order, each alone on a fresh stage, except that the members of a group
 * are replayed together at the first of them (in MCP mode, one after another).
 */
export async function runScenarios(
  world: EvalWorld,
  scenarios: readonly LoadedScenario[],
  settings: RunSettings,
): Promise<ScenarioOutcomes> {
  const outcomes: ScenarioOutcomes = { runs: [], mcpRuns: [], missing: [] };
  const done = new Set<string>();
  for (const { scenario } of scenarios) {
    if (done.has(scenario.id)) continue;
    const together =
      settings.mode === 'replay' && scenario.group
        ? scenarios.filter((s) => s.scenario.group === scenario.group).map((s) => s.scenario)
        : [scenario];
    const members: GroupMember[] = [];
    for (const one of together) {
      done.add(one.id);
      const transcript = await readTranscript(settings.transcriptsDir, one.id);
      if (transcript) members.push({ scenario: one, transcript });
      else {
        const path = join(settings.transcriptsDir, `${one.id}.json`);
        outcomes.missing.push(`${one.id}: no transcript at ${path} (record one, or write it by hand)`);
      }
    }
    if (members.length === 0) continue;
    if (settings.mode === 'mcp') {
      for (const member of members) {
        for (const transport of settings.transports) {
          outcomes.mcpRuns.push(await runMcpScenario(world, member.scenario, member.transcript, transport));
        }
      }
      continue;
    }
    const firstRequest = world.gemini.requests.length;
    let runs = await replay(world, members, settings.transcriptsDir);
    if (
      settings.update &&
      (await updateDeclarations(world, members, runs, settings.transcriptsDir, firstRequest))
    ) {
      runs = await replay(world, members, settings.transcriptsDir);
    }
    outcomes.runs.push(...runs);
  }
  return outcomes;
}
