import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COUNTED, expectClientOutcome, useBadInputWorld } from './testing/bad-input-world.ts';
import { SAMPLE_CRM } from './testing/platform-rig.ts';

/**
 * Fast-check fuzzing of every endpoint that takes a body: arbitrary JSON, then the right
 * keys with arbitrary values. Every answer is a problem+json 4xx or a 2xx, never a 5xx, and
 * only the 2xx answers add rows.
 */

const world = useBadInputWorld();
const { rig, ENDPOINTS, sendJson, counts } = world;

describe('fuzzing every body endpoint', () => {
  for (const endpoint of ENDPOINTS) {
    it(`${endpoint.label}: arbitrary JSON, then the right keys with arbitrary values`, async () => {
      const before = await counts();
      let successes = 0;
      const check = async (body: unknown) => {
        const response = await sendJson(endpoint, body);
        expectClientOutcome(response);
        if (response.statusCode < 300) successes += 1;
      };
      await fc.assert(fc.asyncProperty(fc.jsonValue(), check), { numRuns: 25 });
      const keyed = Object.fromEntries(
        Object.entries(endpoint.plausible ?? {}).map(([key, plausible]) => [
          key,
          fc.oneof(plausible, fc.jsonValue(), fc.string(), fc.constant('\ud800')),
        ]),
      );
      await fc.assert(fc.asyncProperty(fc.record(keyed, { requiredKeys: [] }), check), { numRuns: 35 });
      const after = await counts();
      for (const table of COUNTED) {
        expect(after[table] - before[table], table).toBe(successes * (endpoint.adds?.[table] ?? 0));
      }
    }, 60_000);
  }

  it("leaves the owner's workspace readable and the owner in charge", async () => {
    const workspace = await rig.call('GET', `/v1/workspaces/${world.workspaceId()}`, {
      auth: world.owner().auth,
    });
    expect(workspace.statusCode).toBe(200);
    expect(workspace.json()).toMatchObject({ id: world.workspaceId(), role: 'owner' });
    const members = await rig.call('GET', `/v1/workspaces/${world.workspaceId()}/members`, {
      auth: world.owner().auth,
    });
    expect(members.statusCode).toBe(200);
    const listed = await rig.call('GET', '/v1/workspaces', { auth: world.owner().auth });
    expect(listed.statusCode).toBe(200);
    const tool = await rig.call('POST', `/v1/workspaces/${world.workspaceId()}/tools/count_records`, {
      auth: world.owner().auth,
      body: { base_id: SAMPLE_CRM, table: 'Companies' },
    });
    expect(tool.statusCode).toBe(200);
  });
});
