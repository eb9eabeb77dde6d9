import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EvalWorld, openEvalWorld, type Stage } from '../runner/eval-world.ts';
import { checkPlatformState } from './platform-state.ts';

/** The platform side of an end state: webhook endpoints and members, each entry a subset matcher. */

let world: EvalWorld;
let stage: Stage;
beforeAll(async () => {
  world = await openEvalWorld();
  stage = await world.stage('sample', 'admin');
  await stage.platform.webhooks.endpoints.create(stage.caller.access, {
    url: 'https://hooks.example.com/leads',
    eventTypes: ['record.created'],
  });
}, 60_000);
afterAll(async () => {
  await stage?.close();
  await world?.close();
});

describe('the platform end state', () => {
  it('holds when an endpoint and a member like the expected ones exist', async () => {
    expect(
      await checkPlatformState(stage.platform, stage.caller.access, {
        webhooks: [{ url: { $contains: '/leads' }, event_types: ['record.created'], enabled: true }],
        members: [{ role: 'owner' }, { role: 'admin', email: { $regex: '@evals\\.example\\.com$' } }],
      }),
    ).toEqual([]);
  });

  it('names each expected entry it does not find', async () => {
    expect(
      await checkPlatformState(stage.platform, stage.caller.access, {
        webhooks: [{ url: 'https://hooks.example.com/other' }],
        members: [{ role: 'viewer' }],
      }),
    ).toEqual([
      'wrong end state: no webhook endpoint like {"url":"https://hooks.example.com/other"} (found 1)',
      'wrong end state: no member like {"role":"viewer"} (found 2)',
    ]);
  });
});
