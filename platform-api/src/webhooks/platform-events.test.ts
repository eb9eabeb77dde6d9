import { beforeEach, describe, expect, it } from 'vitest';
import { PlatformError } from '../errors.ts';
import { type RigUser, usePlatformRig } from '../testing/platform-rig.ts';

/**
 * Platform changes write their event in the change's own transaction (the outbox): through the
 * REST API, each change leaves exactly one event of its type (plus one `api_key.revoked` per key
 * it stopped), by the caller, caused by the request, queued for every endpoint whose filter
 * matches; a change that fails leaves none.
 */

const BAD_TOKEN = 'patREFUSED.0123456789abcdef';

const rig = usePlatformRig({
  webhooks: { deliver: false, resolve: async () => [{ address: '93.184.216.34', family: 4 }] },
  validateToken: async (token) => {
    if (token === BAD_TOKEN) {
      throw new PlatformError('CONNECTION_INVALID_TOKEN', 'Airtable did not accept this token');
    }
    return { airtableUserId: 'usrEventsSpec' };
  },
});

interface Emitted {
  type: string;
  payload: {
    workspace_id: string;
    actor: { type: string; id: string; label?: string };
    cause?: { request_id?: string };
    data: Record<string, unknown>;
  };
  endpoints: string[];
}

let owner: RigUser;
let admin: RigUser;
let workspace = '';
/** Filter `*` and filter `member.*`. */
let everything = '';
let membersOnly = '';
let seen = 0;

async function createEndpoint(eventTypes: string[]): Promise<string> {
  const platform = rig.platform();
  const access = await platform.workspaces.access(await platform.authenticate(owner.accessToken), workspace);
  const { endpoint } = await platform.webhooks.endpoints.create(access, {
    url: 'https://hooks.example.com/x',
    eventTypes,
  });
  return endpoint.id;
}

/** The events written since the last look, oldest first, with the endpoints queued for each. */
async function newEvents(): Promise<Emitted[]> {
  const rows = await rig
    .db()
    .query<{ seq: string | number; type: string; payload: string; endpoints: string }>(
      `SELECT e.seq, e.type, e.payload::text AS payload,
            COALESCE((SELECT string_agg(m.endpoint_id, ',' ORDER BY m.endpoint_id)
                        FROM webhook_messages m WHERE m.event_id = e.id), '') AS endpoints
       FROM webhook_events e WHERE e.workspace_id = $1 AND e.seq > $2 ORDER BY e.seq`,
      [workspace, seen],
    );
  const last = rows.at(-1);
  if (last) seen = Number(last.seq);
  return rows.map((row) => ({
    type: row.type,
    payload: JSON.parse(row.payload),
    endpoints: row.endpoints === '' ? [] : row.endpoints.split(','),
  }));
}

const byOwner = () => ({ type: 'user', id: owner.id, label: owner.email });
const request = (id: string) => ({ 'x-request-id': id });
const sorted = (...ids: string[]) => [...ids].sort();

beforeEach(async () => {
  owner = await rig.user('owner');
  admin = await rig.user('admin');
  workspace = await rig.workspace(owner);
  everything = await createEndpoint(['*']);
  membersOnly = await createEndpoint(['member.*']);
  seen = 0;
  expect(await newEvents()).toEqual([]);
});

describe('member changes', () => {
  it('adding a member emits member.added', async () => {
    const added = await rig.call('POST', `/v1/workspaces/${workspace}/members`, {
      auth: owner.auth,
      headers: request('req-add'),
      body: { email: admin.email.toUpperCase(), role: 'admin' },
    });
    expect(added.statusCode).toBe(201);
    const events = await newEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'member.added',
      payload: {
        workspace_id: workspace,
        actor: byOwner(),
        cause: { request_id: 'req-add' },
        data: { user_id: admin.id, email: admin.email, role: 'admin' },
      },
      endpoints: sorted(everything, membersOnly),
    });
  });

  it('changing a role emits member.role_changed and one api_key.revoked per key it stops', async () => {
    await rig.addMember(owner, workspace, admin, 'admin');
    const adminKey = await rig.apiKey(admin, workspace, 'admin');
    await rig.apiKey(admin, workspace, 'editor');
    await newEvents();
    const demoted = await rig.call('PATCH', `/v1/workspaces/${workspace}/members/${admin.id}`, {
      auth: owner.auth,
      headers: request('req-demote'),
      body: { role: 'editor' },
    });
    expect(demoted.statusCode).toBe(200);
    const events = await newEvents();
    expect(events.map((e) => e.type)).toEqual(['member.role_changed', 'api_key.revoked']);
    expect(events[0]).toMatchObject({
      payload: {
        actor: byOwner(),
        cause: { request_id: 'req-demote' },
        data: { user_id: admin.id, role: 'editor', previous_role: 'admin', api_keys_revoked: 1 },
      },
      endpoints: sorted(everything, membersOnly),
    });
    expect(events[1]).toMatchObject({
      payload: {
        actor: byOwner(),
        cause: { request_id: 'req-demote' },
        data: { key_id: adminKey.id, name: 'admin key' },
      },
      endpoints: [everything],
    });
  });

  it('setting the role a member already has emits nothing', async () => {
    await rig.addMember(owner, workspace, admin, 'editor');
    await newEvents();
    const same = await rig.call('PATCH', `/v1/workspaces/${workspace}/members/${admin.id}`, {
      auth: owner.auth,
      body: { role: 'editor' },
    });
    expect(same.statusCode).toBe(200);
    expect(await newEvents()).toEqual([]);
  });

  it('removing a member emits member.removed and api_key.revoked for each of their keys', async () => {
    await rig.addMember(owner, workspace, admin, 'admin');
    const first = await rig.apiKey(admin, workspace, 'editor');
    const second = await rig.apiKey(admin, workspace, 'viewer');
    await rig.apiKey(owner, workspace, 'viewer');
    await newEvents();
    const removed = await rig.call('DELETE', `/v1/workspaces/${workspace}/members/${admin.id}`, {
      auth: owner.auth,
      headers: request('req-remove'),
    });
    expect(removed.statusCode).toBe(204);
    const events = await newEvents();
    expect(events.map((e) => e.type)).toEqual(['member.removed', 'api_key.revoked', 'api_key.revoked']);
    expect(events[0]).toMatchObject({
      payload: {
        actor: byOwner(),
        cause: { request_id: 'req-remove' },
        data: { user_id: admin.id, email: admin.email, role: 'admin' },
      },
      endpoints: sorted(everything, membersOnly),
    });
    expect(events.slice(1).map((e) => e.payload.data.key_id)).toEqual(
      expect.arrayContaining([first.id, second.id]),
    );
    expect(events.slice(1).every((e) => e.payload.cause?.request_id === 'req-remove')).toBe(true);
  });

  it('a member leaving emits member.removed with them as the actor', async () => {
    await rig.addMember(owner, workspace, admin, 'editor');
    await newEvents();
    const left = await rig.call('DELETE', `/v1/workspaces/${workspace}/members/${admin.id}`, {
      auth: admin.auth,
      headers: request('req-leave'),
    });
    expect(left.statusCode).toBe(204);
    const events = await newEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'member.removed',
      payload: {
        actor: { type: 'user', id: admin.id, label: admin.email },
        cause: { request_id: 'req-leave' },
        data: { user_id: admin.id, email: admin.email, role: 'editor' },
      },
    });
  });
});

describe('API key changes', () => {
  it('creating a key emits api_key.created, never the key', async () => {
    const created = await rig.call('POST', `/v1/workspaces/${workspace}/api-keys`, {
      auth: owner.auth,
      headers: request('req-key'),
      body: { name: 'CI', role: 'editor' },
    });
    expect(created.statusCode).toBe(201);
    const { id, key } = created.json() as { id: string; key: string };
    const events = await newEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'api_key.created',
      payload: {
        actor: byOwner(),
        cause: { request_id: 'req-key' },
        data: { key_id: id, name: 'CI', role: 'editor' },
      },
      endpoints: [everything],
    });
    expect(JSON.stringify(events[0])).not.toContain(key);
  });

  it('revoking a key emits api_key.revoked, by the key that revoked it; revoking it again emits nothing', async () => {
    const caller = await rig.apiKey(owner, workspace, 'admin');
    const target = await rig.apiKey(owner, workspace, 'viewer');
    await newEvents();
    const revoke = (id: string) =>
      rig.call('DELETE', `/v1/workspaces/${workspace}/api-keys/${target.id}`, {
        auth: caller.auth,
        headers: request(id),
      });
    expect((await revoke('req-revoke')).statusCode).toBe(204);
    const events = await newEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'api_key.revoked',
      payload: {
        actor: { type: 'api_key', id: caller.id, label: 'admin key' },
        cause: { request_id: 'req-revoke' },
        data: { key_id: target.id, name: 'viewer key' },
      },
      endpoints: [everything],
    });
    expect((await revoke('req-again')).statusCode).toBe(204);
    expect(await newEvents()).toEqual([]);
  });
});

describe('connection changes', () => {
  it('creating and deleting a connection emit connection.created and connection.deleted', async () => {
    const created = await rig.call('POST', `/v1/workspaces/${workspace}/connections`, {
      auth: owner.auth,
      headers: request('req-connect'),
      body: { name: 'Sales base', token: rig.airtableToken() },
    });
    expect(created.statusCode).toBe(201);
    const { id } = created.json() as { id: string };
    const deleted = await rig.call('DELETE', `/v1/workspaces/${workspace}/connections/${id}`, {
      auth: owner.auth,
      headers: request('req-disconnect'),
    });
    expect(deleted.statusCode).toBe(204);
    const events = await newEvents();
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      type: 'connection.created',
      payload: {
        actor: byOwner(),
        cause: { request_id: 'req-connect' },
        data: { connection_id: id, name: 'Sales base' },
      },
      endpoints: [everything],
    });
    expect(events[1]).toMatchObject({
      type: 'connection.deleted',
      payload: { actor: byOwner(), cause: { request_id: 'req-disconnect' }, data: { connection_id: id } },
      endpoints: [everything],
    });
    expect(JSON.stringify(events)).not.toContain(rig.airtableToken());
  });
});

describe('a change that fails', () => {
  it('leaves no event', async () => {
    await rig.addMember(owner, workspace, admin, 'editor');
    await newEvents();
    const failures = [
      () =>
        rig.call('POST', `/v1/workspaces/${workspace}/members`, {
          auth: owner.auth,
          body: { email: admin.email, role: 'viewer' },
        }),
      () =>
        rig.call('PATCH', `/v1/workspaces/${workspace}/members/${owner.id}`, {
          auth: owner.auth,
          body: { role: 'admin' },
        }),
      () => rig.call('DELETE', `/v1/workspaces/${workspace}/members/usr_missing`, { auth: owner.auth }),
      () => rig.call('DELETE', `/v1/workspaces/${workspace}/api-keys/key_missing`, { auth: owner.auth }),
      () =>
        rig.call('POST', `/v1/workspaces/${workspace}/connections`, {
          auth: owner.auth,
          body: { name: 'Refused', token: BAD_TOKEN },
        }),
      () => rig.call('DELETE', `/v1/workspaces/${workspace}/connections/con_missing`, { auth: owner.auth }),
      () =>
        rig.call('POST', `/v1/workspaces/${workspace}/api-keys`, {
          auth: admin.auth,
          body: { name: 'Too strong', role: 'admin' },
        }),
    ];
    const codes = [];
    for (const failure of failures) codes.push((await failure()).json().code);
    expect(codes).toEqual([
      'MEMBER_EXISTS',
      'LAST_OWNER',
      'MEMBER_NOT_FOUND',
      'API_KEY_NOT_FOUND',
      'CONNECTION_INVALID_TOKEN',
      'CONNECTION_NOT_FOUND',
      'FORBIDDEN',
    ]);
    expect(await newEvents()).toEqual([]);
  });
});
