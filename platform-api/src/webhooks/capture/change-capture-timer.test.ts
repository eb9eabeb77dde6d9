import { beforeAll, describe, expect, it } from 'vitest';
import { type RigUser, SAMPLE_CRM, usePlatformRig } from '../../testing/platform-rig.ts';
import { clientChange, eventsOf, outsideEvents, until, webhooksOf } from './capture-test-kit.ts';

/**
 * Change capture without a public URL: the webhook is registered with no notification URL,
 * and the timer alone finds changes (and looks after the webhook's expiry).
 */

const DAY_MS = 24 * 3600_000;
let clockOffsetMs = 0;
const rig = usePlatformRig({
  changeCapture: { pollIntervalMs: 100, now: () => new Date(Date.now() + clockOffsetMs) },
});

let owner: RigUser;
let workspace: string;

const status = async () =>
  (await rig.call('GET', `/v1/workspaces/${workspace}/change-capture`, { auth: owner.auth })).json()
    .captures[0] as Record<string, unknown>;

beforeAll(async () => {
  owner = await rig.user('owner');
  workspace = await rig.workspace(owner, { connect: true });
});

describe('change capture on the timer', () => {
  it('registers the webhook without a notification URL and finds a change on the next round', async () => {
    const on = await rig.call('POST', `/v1/workspaces/${workspace}/change-capture`, {
      auth: owner.auth,
      body: { base_id: SAMPLE_CRM },
    });
    expect(on.statusCode).toBe(201);
    expect(on.json().notifications).toBe('timer');
    expect((await webhooksOf(rig, SAMPLE_CRM))[0]?.notificationUrl).toBeNull();

    const answer = await clientChange(rig, {
      method: 'POST',
      path: `/v0/${SAMPLE_CRM}/Companies`,
      body: { records: [{ fields: { Name: 'Timer Co' } }] },
    });
    const recordId = (answer.records as { id: string }[])[0]?.id as string;
    const [event] = await until(
      () => outsideEvents(rig, workspace, 'record.created', recordId),
      (events) => events.length > 0,
    );
    expect(event?.data.record?.fields).toMatchObject({ Name: 'Timer Co' });
    // Many rounds later, still once.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await outsideEvents(rig, workspace, 'record.created', recordId)).toHaveLength(1);
  });

  it("skips the platform's own tool writes", async () => {
    const key = await rig.apiKey(owner, workspace, 'editor');
    const before = Number((await status()).cursor);
    const res = await rig.call('POST', `/v1/workspaces/${workspace}/tools/create_records`, {
      auth: key.auth,
      body: { base_id: SAMPLE_CRM, table: 'Companies', records: [{ fields: { Name: 'Own Co' } }] },
    });
    expect(res.statusCode).toBe(200);
    const recordId = (res.json().output.records as { id: string }[])[0]?.id as string;
    await until(status, (s) => Number(s.cursor) > before);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const events = (await eventsOf(rig, workspace)).filter(
      (e) => e.type === 'record.created' && e.data.record?.id === recordId,
    );
    expect(events.map((e) => e.actor.type)).toEqual(['api_key']);
  });

  it('refreshes the webhook on a round once it expires within 3 days', async () => {
    expect((await status()).refreshed_at).toBeUndefined();
    clockOffsetMs = 5 * DAY_MS;
    try {
      await until(status, (s) => s.refreshed_at !== undefined);
    } finally {
      clockOffsetMs = 0;
    }
  });
});
