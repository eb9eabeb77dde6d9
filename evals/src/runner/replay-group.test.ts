import { join } from 'node:path';
import { DEFAULT_RATE_LIMITS } from '@airsuite/airtable-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVALS } from '../eval-spec-kit.ts';
import { loadScenarios } from '../scenario/load-scenarios.ts';
import { type EvalWorld, openEvalWorld } from './eval-world.ts';
import { type GroupMember, replayGroup } from './replay-group.ts';
import { readTranscript } from './transcript.ts';

/**
 * A group's scenarios run at once on one base under Airtable's real limits: the conversations
 * overlap, each is judged as if alone, and an upstream 429 fails them all. The committed
 * crm-at-once group is the subject.
 */

let world: EvalWorld;
let members: GroupMember[];

beforeAll(async () => {
  // A short penalty, so the spec whose Airtable is stricter than the gateway does not wait 30 s.
  world = await openEvalWorld({ gateway: { penaltyMs: 200 } });
  const loaded = await loadScenarios(join(EVALS, 'scenarios'));
  members = [];
  for (const { scenario } of loaded.filter((l) => l.scenario.group === 'crm-at-once')) {
    const transcript = await readTranscript(join(EVALS, 'transcripts'), scenario.id);
    if (transcript) members.push({ scenario, transcript });
  }
}, 60_000);
afterAll(() => world.close());

describe('a group of scenarios run at once', () => {
  it('overlap on one base and pass, with no request of theirs answered 429', async () => {
    expect(members.length).toBeGreaterThanOrEqual(4);
    const firstRequest = world.gemini.requests.length;
    const runs = await replayGroup(world, members);
    expect(runs.map((r) => [r.id, r.problems])).toEqual(members.map((m) => [m.scenario.id, []]));
    // Every conversation had begun before any had ended.
    const requests = world.gemini.requests.slice(firstRequest);
    const opening = (i: number) => members[i]?.scenario.turns[0]?.user ?? '';
    const positions = members.map((_, i) =>
      requests.flatMap((r, at) => (JSON.stringify(r.body.contents?.[0]).includes(opening(i)) ? [at] : [])),
    );
    const firsts = positions.map((p) => p[0] ?? Number.POSITIVE_INFINITY);
    const lasts = positions.map((p) => p.at(-1) ?? -1);
    expect(Math.max(...firsts)).toBeLessThan(Math.min(...lasts));
  }, 120_000);

  it('fail together when Airtable answers any of their requests with 429', async () => {
    // Airtable stricter than the gateway believes: one request a second per base.
    world.emulator.admin.setRateLimits({ perBase: 1, penaltyMs: 200 });
    try {
      const runs = await replayGroup(world, members);
      for (const run of runs) {
        expect(run.passed).toBe(false);
        expect(run.problems).toContainEqual(
          expect.stringMatching(/^concurrency: Airtable answered \d+ of the group's requests with 429/),
        );
      }
    } finally {
      world.emulator.admin.setRateLimits(DEFAULT_RATE_LIMITS);
    }
  }, 120_000);
});
