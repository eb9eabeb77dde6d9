import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, type RigUser, SAMPLE_CRM, usePlatformRig } from './testing/platform-rig.ts';

/**
 * Every mutation leaves exactly one audit row naming who did what to what, how it ended and
 * the request it came from; the audit endpoint pages and filters that trail.
 */

const rig = usePlatformRig();

interface AuditRow {
  workspace_id: string | null;
  actor_type: string;
  actor_id: string;
  actor_label: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  error_code: string | null;
  duration_ms: number | null;
  request_id: string | null;
  details: Record<string, unknown> | null;
}

let owner: RigUser;
let admin: RigUser;
let workspaceId: string;

const requestId = (label: string) => `${label}-${randomBytes(6).toString('hex')}`;

/** Sends one request with a known request id and returns the audit rows it wrote. */
async function audited(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  options: { auth?: { authorization: string }; body?: unknown } = {},
) {
  const id = requestId(method.toLowerCase());
  const response = await rig.call(method, url, { ...options, headers: { 'x-request-id': id } });
  const rows = await rig.db().query<AuditRow>('SELECT * FROM audit_events WHERE request_id = $1', [id]);
  return { response, rows, id };
}

beforeAll(async () => {
  owner = await rig.user('owner');
  admin = await rig.user('admin');
  workspaceId = await rig.workspace(owner, { connect: true });
  await rig.addMember(owner, workspaceId, admin, 'admin');
}, 60_000);

describe('account events', () => {
  it('register writes one user.register row', async () => {
    const email = `audit-reg-${randomBytes(3).toString('hex')}@example.com`;
    const { response, rows, id } = await audited('POST', '/v1/auth/register', {
      body: { email, password: PASSWORD },
    });
    expect(response.statusCode).toBe(201);
    const userId = response.json().id;
    expect(rows).toEqual([
      expect.objectContaining({
        workspace_id: null,
        actor_type: 'user',
        actor_id: userId,
        actor_label: email,
        action: 'user.register',
        target_type: 'user',
        target_id: userId,
        outcome: 'success',
        request_id: id,
      }),
    ]);
  });

  it('login writes one user.login row on success and one on failure', async () => {
    const user = await rig.user('login');
    const ok = await audited('POST', '/v1/auth/login', { body: { email: user.email, password: PASSWORD } });
    expect(ok.response.statusCode).toBe(200);
    expect(ok.rows).toEqual([
      expect.objectContaining({
        actor_id: user.id,
        action: 'user.login',
        target_type: 'session',
        outcome: 'success',
        request_id: ok.id,
      }),
    ]);
    expect(ok.rows[0]?.target_id).toMatch(/^ses_/);

    const bad = await audited('POST', '/v1/auth/login', {
      body: { email: user.email, password: 'definitely not it' },
    });
    expect(bad.response.json().code).toBe('AUTH_INVALID_CREDENTIALS');
    expect(bad.rows).toEqual([
      expect.objectContaining({
        actor_id: user.id,
        actor_label: user.email,
        action: 'user.login',
        outcome: 'failure',
        error_code: 'AUTH_INVALID_CREDENTIALS',
        request_id: bad.id,
      }),
    ]);
    expect(JSON.stringify(bad.rows)).not.toContain('definitely not it');
  });

  it('logout writes one user.logout row', async () => {
    const user = await rig.user('logout');
    const { response, rows, id } = await audited('POST', '/v1/auth/logout', { auth: user.auth });
    expect(response.statusCode).toBe(204);
    expect(rows).toEqual([
      expect.objectContaining({
        actor_id: user.id,
        action: 'user.logout',
        target_type: 'session',
        outcome: 'success',
        request_id: id,
      }),
    ]);
  });
});

describe('workspace events', () => {
  it('create, rename and delete each write one row', async () => {
    const created = await audited('POST', '/v1/workspaces', {
      auth: owner.auth,
      body: { name: 'Short-lived' },
    });
    const id = created.response.json().id;
    const renamed = await audited('PATCH', `/v1/workspaces/${id}`, {
      auth: owner.auth,
      body: { name: 'Renamed' },
    });
    const deleted = await audited('DELETE', `/v1/workspaces/${id}`, { auth: owner.auth });
    expect([created, renamed, deleted].map((r) => r.response.statusCode)).toEqual([201, 200, 204]);
    for (const [step, action] of [
      [created, 'workspace.create'],
      [renamed, 'workspace.update'],
      [deleted, 'workspace.delete'],
    ] as const) {
      expect(step.rows).toEqual([
        expect.objectContaining({
          workspace_id: id,
          actor_type: 'user',
          actor_id: owner.id,
          action,
          target_type: 'workspace',
          target_id: id,
          outcome: 'success',
          request_id: step.id,
        }),
      ]);
    }
  });

  it('member add, update, remove and leave each write one row', async () => {
    const a = await rig.user('m-a');
    const b = await rig.user('m-b');
    const base = `/v1/workspaces/${workspaceId}/members`;
    const steps = [
      [
        await audited('POST', base, { auth: owner.auth, body: { email: a.email, role: 'viewer' } }),
        'member.add',
        a,
        owner,
      ],
      [
        await audited('POST', base, { auth: owner.auth, body: { email: b.email, role: 'viewer' } }),
        'member.add',
        b,
        owner,
      ],
      [
        await audited('PATCH', `${base}/${a.id}`, { auth: owner.auth, body: { role: 'editor' } }),
        'member.update',
        a,
        owner,
      ],
      [await audited('DELETE', `${base}/${a.id}`, { auth: admin.auth }), 'member.remove', a, admin],
      [await audited('DELETE', `${base}/${b.id}`, { auth: b.auth }), 'member.leave', b, b],
    ] as const;
    for (const [step, action, target, actor] of steps) {
      expect(step.response.statusCode, step.response.body).toBeLessThan(300);
      expect(step.rows).toEqual([
        expect.objectContaining({
          workspace_id: workspaceId,
          actor_id: actor.id,
          action,
          target_type: 'user',
          target_id: target.id,
          outcome: 'success',
          request_id: step.id,
        }),
      ]);
    }
    expect(steps[2][0].rows[0]?.details).toMatchObject({ role: 'editor', previous_role: 'viewer' });
  });

  it('API key create and revoke each write one row, without the key', async () => {
    const created = await audited('POST', `/v1/workspaces/${workspaceId}/api-keys`, {
      auth: owner.auth,
      body: { name: 'Audited key', role: 'viewer' },
    });
    const { id: keyId, key } = created.response.json();
    const revoked = await audited('DELETE', `/v1/workspaces/${workspaceId}/api-keys/${keyId}`, {
      auth: owner.auth,
    });
    expect([created.response.statusCode, revoked.response.statusCode]).toEqual([201, 204]);
    for (const [step, action] of [
      [created, 'api_key.create'],
      [revoked, 'api_key.revoke'],
    ] as const) {
      expect(step.rows).toEqual([
        expect.objectContaining({
          workspace_id: workspaceId,
          actor_id: owner.id,
          action,
          target_type: 'api_key',
          target_id: keyId,
          outcome: 'success',
          request_id: step.id,
        }),
      ]);
    }
    expect(JSON.stringify(created.rows)).not.toContain(key.slice(-20));
  });

  it('connection create and delete each write one row, without the token', async () => {
    const created = await audited('POST', `/v1/workspaces/${workspaceId}/connections`, {
      auth: owner.auth,
      body: { name: 'Second', token: rig.airtableToken() },
    });
    const connectionId = created.response.json().id;
    const deleted = await audited('DELETE', `/v1/workspaces/${workspaceId}/connections/${connectionId}`, {
      auth: owner.auth,
    });
    expect([created.response.statusCode, deleted.response.statusCode]).toEqual([201, 204]);
    for (const [step, action] of [
      [created, 'connection.create'],
      [deleted, 'connection.delete'],
    ] as const) {
      expect(step.rows).toEqual([
        expect.objectContaining({
          workspace_id: workspaceId,
          actor_id: owner.id,
          action,
          target_type: 'connection',
          target_id: connectionId,
          outcome: 'success',
          request_id: step.id,
        }),
      ]);
    }
    expect(JSON.stringify(created.rows)).not.toContain(rig.airtableToken().slice(3, 20));
  });
});

describe('tool calls', () => {
  const tool = (name: string) => `/v1/workspaces/${workspaceId}/tools/${name}`;

  /**
   * A tool call and the tool.call rows it added, found by sequence rather than request id,
   * so these checks stand apart from the request-id check below.
   */
  async function toolCall(name: string, body: unknown) {
    const [mark] = await rig
      .db()
      .query<{ seq: string }>('SELECT coalesce(max(seq), 0)::text AS seq FROM audit_events');
    const { response, id } = await audited('POST', tool(name), { auth: owner.auth, body });
    const rows = await rig
      .db()
      .query<AuditRow>("SELECT * FROM audit_events WHERE seq > $1 AND action = 'tool.call' ORDER BY seq", [
        mark?.seq ?? '0',
      ]);
    return { response, rows, id };
  }

  it('tool.call rows carry the request id, like every other audit row', async () => {
    const { response, rows, id } = await toolCall('count_records', {
      base_id: SAMPLE_CRM,
      table: 'Companies',
    });
    expect(response.statusCode).toBe(200);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.request_id).toBe(id);
  });

  it('write one tool.call row with the duration and the arguments summarised', async () => {
    const { response, rows } = await toolCall('count_records', { base_id: SAMPLE_CRM, table: 'Companies' });
    expect(response.statusCode).toBe(200);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      workspace_id: workspaceId,
      actor_id: owner.id,
      action: 'tool.call',
      target_type: 'tool',
      target_id: 'count_records',
      outcome: 'success',
      details: { tool: 'count_records', arguments: { base_id: SAMPLE_CRM, table: 'Companies' } },
    });
    expect(typeof rows[0]?.duration_ms).toBe('number');
  });

  it('redact secret-named arguments and record the failure code', async () => {
    const secret = `hunter2-${randomBytes(8).toString('hex')}`;
    const { response, rows } = await toolCall('create_records', {
      base_id: SAMPLE_CRM,
      table: 'Companies',
      records: [{ fields: { Name: 'Audit Ltd', password: secret, notes: 'x'.repeat(500) } }],
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe('TOOL_UNKNOWN_FIELD');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'tool.call',
      outcome: 'failure',
      error_code: 'TOOL_UNKNOWN_FIELD',
    });
    expect(typeof rows[0]?.duration_ms).toBe('number');
    const args = rows[0]?.details?.arguments as { records: { fields: Record<string, unknown> }[] };
    expect(args.records[0]?.fields.password).toBe('[redacted]');
    expect(args.records[0]?.fields.Name).toBe('Audit Ltd');
    expect(String(args.records[0]?.fields.notes).length).toBeLessThan(200);
    expect(JSON.stringify(rows)).not.toContain(secret);
  });

  it('still answer (and are audited) when the arguments hold NUL or a lone surrogate', async () => {
    const { response, rows } = await toolCall('create_records', {
      base_id: SAMPLE_CRM,
      table: 'Companies',
      records: [{ fields: { Name: 'nul \u0000 and \ud800 here' } }],
      dry_run: true,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'tool.call', outcome: 'success' });
  });

  it('write one row when refused before the handler (invalid input)', async () => {
    const { response, rows, id } = await audited('POST', tool('count_records'), {
      auth: owner.auth,
      body: { base_id: 42 },
    });
    expect(response.json().code).toBe('TOOL_INVALID_INPUT');
    expect(rows).toEqual([
      expect.objectContaining({
        action: 'tool.call',
        target_id: 'count_records',
        outcome: 'failure',
        error_code: 'TOOL_INVALID_INPUT',
        request_id: id,
      }),
    ]);
  });
});

describe('the audit endpoint', () => {
  const url = (query: string) => `/v1/workspaces/${workspaceId}/audit?${query}`;
  interface Event {
    id: string;
    at: string;
    action: string;
    actor: { id: string };
    outcome: string;
  }
  const read = async (query: string): Promise<{ events: Event[]; next_cursor?: string }> => {
    const response = await rig.call('GET', url(query), { auth: owner.auth });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };
  let all: Event[];

  beforeAll(async () => {
    // A failure and a tool call of the admin's own, so the filters have something to tell apart.
    await rig.call('POST', `/v1/workspaces/${workspaceId}/tools/count_records`, {
      auth: admin.auth,
      body: { base_id: SAMPLE_CRM, table: 'Nope' },
    });
    all = (await read('limit=100')).events;
  });

  it('pages newest first, two at a time, without duplicates', async () => {
    expect(all.length).toBeGreaterThan(10);
    const seen: Event[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await read(`limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.events.length).toBeLessThanOrEqual(2);
      seen.push(...page.events);
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor && pages < 100);
    expect(cursor).toBeUndefined();
    expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
    expect(seen.map((e) => e.id)).toEqual(all.map((e) => e.id));
    const times = seen.map((e) => Date.parse(e.at));
    expect([...times].sort((x, y) => y - x)).toEqual(times);
  });

  it('filters by exact action and by a prefix such as tool.*', async () => {
    const added = (await read('action=member.add')).events;
    expect(added.length).toBeGreaterThan(0);
    expect(added.every((e) => e.action === 'member.add')).toBe(true);
    expect(added.length).toBe(all.filter((e) => e.action === 'member.add').length);
    expect((await read('action=member')).events).toEqual([]);
    const tools = (await read('action=tool.*')).events;
    expect(tools.length).toBe(all.filter((e) => e.action.startsWith('tool.')).length);
    expect(tools.length).toBeGreaterThan(2);
  });

  it('filters by actor and outcome', async () => {
    const byAdmin = (await read(`actor_id=${admin.id}`)).events;
    expect(byAdmin.length).toBeGreaterThan(0);
    expect(byAdmin.every((e) => e.actor.id === admin.id)).toBe(true);
    const failures = (await read('outcome=failure')).events;
    expect(failures.length).toBe(all.filter((e) => e.outcome === 'failure').length);
    expect(failures.every((e) => e.outcome === 'failure')).toBe(true);
    const both = (await read(`outcome=failure&actor_id=${admin.id}`)).events;
    expect(both.length).toBe(all.filter((e) => e.outcome === 'failure' && e.actor.id === admin.id).length);
    expect(both.length).toBeGreaterThan(0);
  });

  it('filters by since (inclusive) and until (exclusive)', async () => {
    const middle = all[Math.floor(all.length / 2)]!;
    const since = (await read(`since=${encodeURIComponent(middle.at)}`)).events;
    expect(since.map((e) => e.id)).toEqual(all.filter((e) => e.at >= middle.at).map((e) => e.id));
    const until = (await read(`until=${encodeURIComponent(middle.at)}`)).events;
    expect(until.map((e) => e.id)).toEqual(all.filter((e) => e.at < middle.at).map((e) => e.id));
    expect(since.length + until.length).toBe(all.length);
    const future = (await read('since=2999-01-01T00:00:00Z')).events;
    expect(future).toEqual([]);
  });

  it.each([
    'not-a-cursor',
    Buffer.from('a:abc').toString('base64url'),
    Buffer.from('b:12').toString('base64url'),
    Buffer.from(`a:${'9'.repeat(30)}`).toString('base64url'),
  ])('refuses the cursor %s with VALIDATION_FAILED', async (cursor) => {
    const response = await rig.call('GET', url(`cursor=${cursor}`), { auth: owner.auth });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('VALIDATION_FAILED');
    expect(response.json().errors[0].field).toBe('cursor');
  });

  it('is for admins and owners only', async () => {
    const viewer = await rig.user('viewer');
    await rig.addMember(owner, workspaceId, viewer, 'viewer');
    const response = await rig.call('GET', url('limit=1'), { auth: viewer.auth });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('FORBIDDEN');
  });
});
