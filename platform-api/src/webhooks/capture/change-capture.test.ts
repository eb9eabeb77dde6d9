import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformOptions } from '../../platform.ts';
import { type RigUser, SAMPLE_CRM, SAMPLE_ROADMAP, usePlatformRig } from '../../testing/platform-rig.ts';
import type { Outbox } from '../outbox.ts';
import {
  airtable,
  clientChange,
  eventsOf,
  outsideEvents,
  startForwarder,
  until,
  webhooksOf,
} from './capture-test-kit.ts';

/**
 * Change capture with pings: the rig's app behind a real port is AIRSUITE_PUBLIC_URL, so the
 * emulator's notification pings reach it; the timer is off, so every pull here comes from a
 * ping or from the spec.
 */

const DAY_MS = 24 * 3600_000;
let clockOffsetMs = 0;
let forwarder: Server | undefined;
const options: Partial<Omit<PlatformOptions, 'db' | 'engine' | 'secretKey'>> = {
  changeCapture: { pollIntervalMs: 0, now: () => new Date(Date.now() + clockOffsetMs) },
};
// Before the rig's own beforeAll: the platform is built with the forwarder's URL.
beforeAll(async () => {
  const started = await startForwarder(() => rig.app());
  forwarder = started.server;
  options.publicUrl = started.url;
});
const rig = usePlatformRig(options);
afterAll(() => {
  forwarder?.close();
});

type Auth = { authorization: string };
let owner: RigUser;
let workspace: string;
let editorKey: Auth;
let captureId: string;
let companies: string;
let industry: string;
const GRACE = { id: 'usr' } as { id: string; name?: string };

const capturePath = () => `/v1/workspaces/${workspace}/change-capture`;
const status = async () =>
  (
    (await rig.call('GET', capturePath(), { auth: owner.auth })).json().captures as Record<string, unknown>[]
  ).find((c) => c.base_id === SAMPLE_CRM) as Record<string, unknown> & { cursor: number; webhook_id: string };

/** A pull of the spec's own, once a ping's pull in the background (if any) has given the lease back. */
const pullNow = (maintain = false) =>
  until(
    () => rig.platform().changeCapture.pull(captureId, { maintain }),
    (result) => result.outcome !== 'busy',
  );

async function createCompany(name: string, userId?: string): Promise<string> {
  const answer = await clientChange(rig, {
    method: 'POST',
    path: `/v0/${SAMPLE_CRM}/Companies`,
    body: { records: [{ fields: { Name: name, Industry: industry, Employees: 12 } }] },
    ...(userId ? { userId } : {}),
  });
  return (answer.records as { id: string }[])[0]?.id as string;
}

beforeAll(async () => {
  owner = await rig.user('owner');
  workspace = await rig.workspace(owner, { connect: true });
  editorKey = (await rig.apiKey(owner, workspace, 'editor')).auth;
  const schema = await airtable(rig, 'GET', `/v0/meta/bases/${SAMPLE_CRM}/tables`);
  interface SchemaField {
    name: string;
    options?: { choices?: { name: string }[] };
  }
  const tables = schema.body.tables as { id: string; name: string; fields: SchemaField[] }[];
  const table = tables.find((t) => t.name === 'Companies');
  companies = table?.id as string;
  const select = table?.fields.find((f) => f.name === 'Industry');
  industry = select?.options?.choices?.[0]?.name as string;
  const users = (await fetch(`${rig.emulator().url}/__emulator/export`).then((r) => r.json())) as {
    users?: { id: string; name?: string; email: string }[];
  };
  const grace = users.users?.find((u) => u.email === 'grace@example.com');
  if (grace) Object.assign(GRACE, grace);
});

describe('turning change capture on and off', () => {
  it('registers one webhook per base with the notification URL, admins only, idempotently', async () => {
    const viewer = await rig.call('POST', capturePath(), { auth: editorKey, body: { base_id: SAMPLE_CRM } });
    expect(viewer.statusCode).toBe(403);
    expect(viewer.json().code).toBe('FORBIDDEN');

    const on = await rig.call('POST', capturePath(), { auth: owner.auth, body: { base_id: SAMPLE_CRM } });
    expect(on.statusCode).toBe(201);
    const capture = on.json();
    expect(capture).toMatchObject({
      id: expect.stringMatching(/^cap_/),
      base_id: SAMPLE_CRM,
      webhook_id: expect.stringMatching(/^ach/),
      notifications: 'ping',
      cursor: 1,
      events_emitted: 0,
      expires_at: expect.any(String),
    });
    captureId = capture.id;

    const again = await rig.call('POST', capturePath(), { auth: owner.auth, body: { base_id: SAMPLE_CRM } });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(captureId);

    const hooks = await webhooksOf(rig, SAMPLE_CRM);
    expect(hooks).toHaveLength(1);
    expect(hooks[0]?.notificationUrl).toBe(`${options.publicUrl}/v1/airtable-notifications/${captureId}`);

    const listed = await rig.call('GET', capturePath(), { auth: editorKey });
    expect(listed.statusCode).toBe(403);
  });

  it('says WEBHOOK_CAPTURE_LIMIT when the base has its 10 Airtable webhooks already', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const made = await airtable(rig, 'POST', `/v0/bases/${SAMPLE_ROADMAP}/webhooks`, {
        specification: { options: { filters: { dataTypes: ['tableData'] } } },
      });
      ids.push(made.body.id as string);
    }
    const refused = await rig.call('POST', capturePath(), {
      auth: owner.auth,
      body: { base_id: SAMPLE_ROADMAP },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('WEBHOOK_CAPTURE_LIMIT');
    for (const id of ids) await airtable(rig, 'DELETE', `/v0/bases/${SAMPLE_ROADMAP}/webhooks/${id}`);
  });

  it('turns off: the Airtable webhook is deleted, then the base is unknown', async () => {
    const on = await rig.call('POST', capturePath(), { auth: owner.auth, body: { base_id: SAMPLE_ROADMAP } });
    expect(on.statusCode).toBe(201);
    expect(await webhooksOf(rig, SAMPLE_ROADMAP)).toHaveLength(1);
    const off = await rig.call('DELETE', `${capturePath()}/${SAMPLE_ROADMAP}`, { auth: owner.auth });
    expect(off.statusCode).toBe(204);
    expect(await webhooksOf(rig, SAMPLE_ROADMAP)).toEqual([]);
    const again = await rig.call('DELETE', `${capturePath()}/${SAMPLE_ROADMAP}`, { auth: owner.auth });
    expect(again.statusCode).toBe(404);
    expect(again.json().code).toBe('WEBHOOK_CAPTURE_NOT_FOUND');
  });
});

describe('changes made in Airtable by a person', () => {
  it('become one event each, named by field, with actor airtable, after the ping', async () => {
    const recordId = await createCompany('Person Co', GRACE.id);
    const [created] = await until(
      () => outsideEvents(rig, workspace, 'record.created', recordId),
      (events) => events.length > 0,
    );
    expect(created?.actor).toEqual({ type: 'airtable', id: GRACE.id, label: GRACE.name });
    expect(created?.data).toMatchObject({
      base_id: SAMPLE_CRM,
      table_id: companies,
      record: { id: recordId, fields: { Name: 'Person Co', Industry: industry, Employees: 12 } },
    });

    await clientChange(rig, {
      method: 'PATCH',
      path: `/v0/${SAMPLE_CRM}/Companies/${recordId}`,
      body: { fields: { Name: 'Person & Co', Employees: null } },
    });
    const [updated] = await until(
      () => outsideEvents(rig, workspace, 'record.updated', recordId),
      (events) => events.length > 0,
    );
    expect(updated?.data.changed_fields).toEqual({
      Name: { before: 'Person Co', after: 'Person & Co' },
      Employees: { before: 12 },
    });

    await clientChange(rig, { method: 'DELETE', path: `/v0/${SAMPLE_CRM}/Companies/${recordId}` });
    await until(
      () => outsideEvents(rig, workspace, 'record.deleted', recordId),
      (events) => events.length > 0,
    );

    const field = await clientChange(rig, {
      method: 'POST',
      path: `/v0/meta/bases/${SAMPLE_CRM}/tables/${companies}/fields`,
      body: { name: 'Tier', type: 'singleLineText' },
    });
    const fieldId = field.id as string;
    const [fieldCreated] = await until(
      () => outsideEvents(rig, workspace, 'field.created', fieldId),
      (events) => events.length > 0,
    );
    expect(fieldCreated?.data).toEqual({
      base_id: SAMPLE_CRM,
      table_id: companies,
      field: { id: fieldId, name: 'Tier', type: 'singleLineText' },
    });

    await clientChange(rig, {
      method: 'PATCH',
      path: `/v0/meta/bases/${SAMPLE_CRM}/tables/${companies}/fields/${fieldId}`,
      body: { name: 'Account Tier' },
    });
    const [renamed] = await until(
      () => outsideEvents(rig, workspace, 'field.updated', fieldId),
      (events) => events.length > 0,
    );
    expect(renamed?.data).toMatchObject({
      field: { id: fieldId, name: 'Account Tier', type: 'singleLineText' },
      previous: { name: 'Tier' },
    });

    const table = await clientChange(rig, {
      method: 'POST',
      path: `/v0/meta/bases/${SAMPLE_CRM}/tables`,
      body: { name: 'Partners', fields: [{ name: 'Name', type: 'singleLineText' }] },
    });
    const [tableCreated] = await until(
      () => outsideEvents(rig, workspace, 'table.created', table.id as string),
      (events) => events.length > 0,
    );
    expect(tableCreated?.data).toMatchObject({
      base_id: SAMPLE_CRM,
      table: { id: table.id, name: 'Partners' },
    });

    // Nothing is converted twice: another pull finds nothing new, and each change is one event.
    const pulled = await pullNow();
    expect(pulled).toMatchObject({ outcome: 'pulled', events: 0 });
    for (const [type, id] of [
      ['record.created', recordId],
      ['record.updated', recordId],
      ['record.deleted', recordId],
      ['field.created', fieldId],
      ['field.updated', fieldId],
      ['table.created', table.id as string],
    ] as const)
      expect(await outsideEvents(rig, workspace, type, id), `${type} ${id}`).toHaveLength(1);
    expect(await status()).toMatchObject({ events_emitted: 6, last_pull_at: expect.any(String) });
  });
});

describe("the platform's own writes", () => {
  it('are not reported twice: a tool write has its own event and no airtable one', async () => {
    const before = (await status()).cursor;
    const res = await rig.call('POST', `/v1/workspaces/${workspace}/tools/create_records`, {
      auth: editorKey,
      body: { base_id: SAMPLE_CRM, table: 'Companies', records: [{ fields: { Name: 'Tool Co' } }] },
    });
    expect(res.statusCode).toBe(200);
    const recordId = (res.json().output.records as { id: string }[])[0]?.id as string;
    // The ping's pull reads the payload and skips it; the cursor moves past it all the same.
    await until(status, (s) => s.cursor > before);
    expect(await pullNow()).toMatchObject({ events: 0 });
    const events = (await eventsOf(rig, workspace)).filter(
      (e) => e.type === 'record.created' && (e.data.record as { id: string }).id === recordId,
    );
    expect(events.map((e) => e.actor.type)).toEqual(['api_key']);
  });
});

describe('notification pings', () => {
  const ping = (id: string, headers: Record<string, string>) =>
    rig.call('POST', `/v1/airtable-notifications/${id}`, {
      body: {
        base: { id: SAMPLE_CRM },
        webhook: { id: 'achAAAAAAAAAAAAAA' },
        timestamp: new Date().toISOString(),
      },
      headers,
    });

  it('are refused without a MAC that verifies, with no bearer needed', async () => {
    const bad = await ping(captureId, { 'x-airtable-content-mac': `hmac-sha256=${'0'.repeat(64)}` });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().code).toBe('WEBHOOK_NOTIFICATION_UNVERIFIED');
    const none = await ping(captureId, {});
    expect(none.json().code).toBe('WEBHOOK_NOTIFICATION_UNVERIFIED');
    const malformed = await ping(captureId, { 'x-airtable-content-mac': 'hmac-sha256=zz' });
    expect(malformed.json().code).toBe('WEBHOOK_NOTIFICATION_UNVERIFIED');
    const unknown = await ping('cap_AAAAAAAAAAAAAAAA', {
      'x-airtable-content-mac': `hmac-sha256=${'0'.repeat(64)}`,
    });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().code).toBe('WEBHOOK_NOTIFICATION_UNVERIFIED');
  });
});

describe('exactly once', () => {
  it('a crash between reading payloads and committing leaves the cursor; the next pull converts them once', async () => {
    await pullNow();
    const outbox: Outbox = rig.platform().webhooks.outbox;
    const emit = outbox.emit;
    let crashed = 0;
    outbox.emit = async (tx, events, emitOptions) => {
      if (events.length > 0 && crashed === 0) {
        crashed += 1;
        throw new Error('the process died here');
      }
      return emit(tx, events, emitOptions);
    };
    try {
      const before = (await status()).cursor;
      const recordId = await createCompany('Crash Co');
      // The ping's pull reads the payload and dies before its commit.
      await until(
        () => crashed,
        (n) => n === 1,
      );
      const failed = await until(status, (s) => s.last_error !== undefined);
      expect(failed.cursor).toBe(before);
      expect(await outsideEvents(rig, workspace, 'record.created', recordId)).toEqual([]);

      expect(await pullNow()).toMatchObject({
        outcome: 'pulled',
        events: 1,
      });
      expect(await pullNow()).toMatchObject({ events: 0 });
      expect(await outsideEvents(rig, workspace, 'record.created', recordId)).toHaveLength(1);
      const after = await status();
      expect(after.cursor).toBe(before + 1);
      expect(after.last_error).toBeUndefined();
    } finally {
      outbox.emit = emit;
    }
  });

  it('two pulls at once never convert the same payloads; a live lease of another process is waited out', async () => {
    await pullNow();
    const recordId = await createCompany('Twice Co');
    const results = await Promise.all([1, 2, 3].map(() => rig.platform().changeCapture.pull(captureId)));
    expect(results.some((r) => r.outcome === 'busy' || r.events === 0)).toBe(true);
    await until(
      () => outsideEvents(rig, workspace, 'record.created', recordId),
      (e) => e.length > 0,
    );
    expect(await outsideEvents(rig, workspace, 'record.created', recordId)).toHaveLength(1);

    // Another process holds the lease: skipped, not waited for; once it runs out, taken over.
    await rig
      .db()
      .query(`UPDATE webhook_captures SET pull_token = 'other', pull_lease_until = $2 WHERE id = $1`, [
        captureId,
        new Date(Date.now() + 60_000),
      ]);
    expect(await rig.platform().changeCapture.pull(captureId)).toMatchObject({ outcome: 'busy' });
    await rig
      .db()
      .query(`UPDATE webhook_captures SET pull_lease_until = $2 WHERE id = $1`, [
        captureId,
        new Date(Date.now() - 1),
      ]);
    expect(await pullNow()).toMatchObject({ outcome: 'pulled' });
  });
});

describe("the webhook's lifetime", () => {
  it('is refreshed when it expires within 3 days', async () => {
    const before = await status();
    expect(before.refreshed_at).toBeUndefined();
    clockOffsetMs = 5 * DAY_MS;
    try {
      const result = await pullNow(true);
      expect(result).toMatchObject({ outcome: 'pulled', refreshed: true, recreated: false });
    } finally {
      clockOffsetMs = 0;
    }
    const after = await status();
    expect(after.refreshed_at).toEqual(expect.any(String));
    expect(after.webhook_id).toBe(before.webhook_id);
    // Far from expiry: nothing to refresh.
    expect(await pullNow(true)).toMatchObject({
      refreshed: false,
    });
  });

  it('is re-created once expired, saying changes in between may be missing, and capture goes on', async () => {
    const before = await status();
    await fetch(`${rig.emulator().url}/__emulator/webhooks/expire`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ webhookId: before.webhook_id }),
    });
    const result = await pullNow(true);
    expect(result).toMatchObject({ outcome: 'pulled', recreated: true });
    const after = await status();
    expect(after.webhook_id).not.toBe(before.webhook_id);
    expect(after.cursor).toBe(1);
    expect(after.gap).toMatchObject({
      until: expect.any(String),
      note: expect.stringContaining('may be missing'),
    });
    expect((await webhooksOf(rig, SAMPLE_CRM)).map((h) => h.id)).toEqual([after.webhook_id]);

    const recordId = await createCompany('After Co');
    await until(
      () => outsideEvents(rig, workspace, 'record.created', recordId),
      (e) => e.length > 0,
    );
  });

  it('is re-created when Airtable no longer has it', async () => {
    const before = await status();
    await airtable(rig, 'DELETE', `/v0/bases/${SAMPLE_CRM}/webhooks/${before.webhook_id}`);
    expect(await pullNow()).toMatchObject({ outcome: 'pulled', recreated: true });
    const after = await status();
    expect(after.webhook_id).not.toBe(before.webhook_id);
    const recordId = await createCompany('Gone Co');
    await until(
      () => outsideEvents(rig, workspace, 'record.created', recordId),
      (e) => e.length > 0,
    );
    expect(await outsideEvents(rig, workspace, 'record.created', recordId)).toHaveLength(1);
  });
});
