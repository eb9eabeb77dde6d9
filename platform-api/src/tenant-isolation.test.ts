import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, type RigUser, SAMPLE_CRM, usePlatformRig } from './testing/platform-rig.ts';

/**
 * Workspace A must never reach workspace B: not through B's path (B is simply not there for
 * A, with the very same answer as a workspace that does not exist), not by naming B's ids
 * under A's own path, and not through the platform tools.
 */

const rig = usePlatformRig();

const ROLES = ['owner', 'admin', 'editor', 'viewer'] as const;
type Role = (typeof ROLES)[number];
type Auth = { authorization: string };
type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

interface Tenant {
  id: string;
  owner: RigUser;
  users: Record<Role, RigUser>;
  keys: Record<Role, { id: string; auth: Auth }>;
  connectionId: string;
}

let a: Tenant;
let b: Tenant;
/** A registered account in neither workspace, used as the body of "add member". */
let bystander: { email: string };
/** Never a workspace: the answer for B must be indistinguishable from the answer for this. */
const MISSING = `wsp_${randomBytes(8).toString('hex')}`;

async function tenant(name: string): Promise<Tenant> {
  const owner = await rig.user(`${name}-owner`);
  const id = await rig.workspace(owner, { connect: true });
  const renamed = await rig.call('PATCH', `/v1/workspaces/${id}`, { auth: owner.auth, body: { name } });
  expect(renamed.statusCode).toBe(200);
  const users = { owner } as Record<Role, RigUser>;
  for (const role of ['admin', 'editor', 'viewer'] as const) {
    users[role] = await rig.user(`${name}-${role}`);
    await rig.addMember(owner, id, users[role], role);
  }
  const keys = {} as Tenant['keys'];
  for (const role of ROLES) keys[role] = await rig.apiKey(owner, id, role);
  const connections = await rig.call('GET', `/v1/workspaces/${id}/connections`, { auth: owner.auth });
  const [connection] = connections.json().connections as { id: string }[];
  if (!connection) throw new Error('the rig made no connection');
  return { id, owner, users, keys, connectionId: connection.id };
}

/** Every row B owns in the tenant tables, plus its audit trail (a refused call writes nothing to it). */
async function snapshot(ws: string) {
  const rows = (sql: string) => rig.db().query(sql, [ws]);
  return {
    workspaces: await rows('SELECT * FROM workspaces WHERE id = $1'),
    memberships: await rows('SELECT * FROM memberships WHERE workspace_id = $1 ORDER BY user_id'),
    api_keys: await rows('SELECT * FROM api_keys WHERE workspace_id = $1 ORDER BY id'),
    connections: await rows('SELECT * FROM connections WHERE workspace_id = $1 ORDER BY id'),
    audit_events: await rows('SELECT * FROM audit_events WHERE workspace_id = $1 ORDER BY seq'),
  };
}
let before: Awaited<ReturnType<typeof snapshot>>;

/** Strings that only B's data contains: none may appear in anything A sees. */
function secretsOfB(): string[] {
  return [
    b.id,
    'Bravo',
    ...ROLES.flatMap((role) => [b.users[role].id, b.users[role].email, b.keys[role].id]),
    b.connectionId,
  ];
}

/** A problem's `instance` echoes the caller's own path, so it is left out of the search. */
function expectNothingOfB(response: LightMyRequestResponse): void {
  const body = withoutRequest(response.body);
  for (const secret of secretsOfB()) expect(body).not.toContain(secret);
}

interface Route {
  name: string;
  method: Method;
  path(ws: string): string;
  body?(): unknown;
}

/** Every route under /v1/workspaces/{id}, with sub-resource ids that really are B's. */
const ROUTES: Route[] = [
  { name: 'GET workspace', method: 'GET', path: (ws) => `/v1/workspaces/${ws}` },
  {
    name: 'PATCH workspace',
    method: 'PATCH',
    path: (ws) => `/v1/workspaces/${ws}`,
    body: () => ({ name: 'Hijacked' }),
  },
  { name: 'DELETE workspace', method: 'DELETE', path: (ws) => `/v1/workspaces/${ws}` },
  {
    name: 'POST members',
    method: 'POST',
    path: (ws) => `/v1/workspaces/${ws}/members`,
    body: () => ({ email: bystander.email, role: 'owner' }),
  },
  { name: 'GET members', method: 'GET', path: (ws) => `/v1/workspaces/${ws}/members` },
  {
    name: 'PATCH member',
    method: 'PATCH',
    path: (ws) => `/v1/workspaces/${ws}/members/${b.users.editor.id}`,
    body: () => ({ role: 'owner' }),
  },
  {
    name: 'PATCH owner',
    method: 'PATCH',
    path: (ws) => `/v1/workspaces/${ws}/members/${b.owner.id}`,
    body: () => ({ role: 'viewer' }),
  },
  {
    name: 'DELETE member',
    method: 'DELETE',
    path: (ws) => `/v1/workspaces/${ws}/members/${b.users.viewer.id}`,
  },
  { name: 'DELETE owner', method: 'DELETE', path: (ws) => `/v1/workspaces/${ws}/members/${b.owner.id}` },
  {
    name: 'POST api-keys',
    method: 'POST',
    path: (ws) => `/v1/workspaces/${ws}/api-keys`,
    body: () => ({ name: 'backdoor', role: 'owner' }),
  },
  { name: 'GET api-keys', method: 'GET', path: (ws) => `/v1/workspaces/${ws}/api-keys` },
  {
    name: 'DELETE api-key',
    method: 'DELETE',
    path: (ws) => `/v1/workspaces/${ws}/api-keys/${b.keys.admin.id}`,
  },
  {
    name: 'POST connections',
    method: 'POST',
    path: (ws) => `/v1/workspaces/${ws}/connections`,
    body: () => ({ name: 'Sneaky', token: rig.airtableToken() }),
  },
  { name: 'GET connections', method: 'GET', path: (ws) => `/v1/workspaces/${ws}/connections` },
  {
    name: 'DELETE connection',
    method: 'DELETE',
    path: (ws) => `/v1/workspaces/${ws}/connections/${b.connectionId}`,
  },
  { name: 'GET audit', method: 'GET', path: (ws) => `/v1/workspaces/${ws}/audit` },
  { name: 'GET tools', method: 'GET', path: (ws) => `/v1/workspaces/${ws}/tools` },
  ...[
    'whoami',
    'list_workspaces',
    'list_members',
    'list_connections',
    'list_audit_events',
    'list_webhooks',
    'list_bases',
  ].map(
    (tool): Route => ({
      name: `POST tools/${tool}`,
      method: 'POST',
      path: (ws) => `/v1/workspaces/${ws}/tools/${tool}`,
      body: () => ({}),
    }),
  ),
  {
    name: 'POST tools/list_records',
    method: 'POST',
    path: (ws) => `/v1/workspaces/${ws}/tools/list_records`,
    body: () => ({ base_id: SAMPLE_CRM, table: 'Companies', page_size: 1 }),
  },
  {
    name: 'POST tools/create_records',
    method: 'POST',
    path: (ws) => `/v1/workspaces/${ws}/tools/create_records`,
    body: () => ({ base_id: SAMPLE_CRM, table: 'Companies', records: [{ fields: { Name: 'Intruder' } }] }),
  },
  {
    name: 'POST tools/create_webhook',
    method: 'POST',
    path: (ws) => `/v1/workspaces/${ws}/tools/create_webhook`,
    body: () => ({ url: 'https://93.184.216.34/hooks', event_types: ['*'] }),
  },
  {
    name: 'POST tools/no_such_tool',
    method: 'POST',
    path: (ws) => `/v1/workspaces/${ws}/tools/no_such_tool`,
    body: () => ({}),
  },
];

interface Caller {
  label: string;
  auth(): Auth;
}

const CALLERS: Caller[] = ROLES.flatMap((role) => [
  { label: `A's ${role} user`, auth: () => a.users[role].auth },
  { label: `A's ${role} API key`, auth: () => a.keys[role].auth },
]);

/** The raw body with the two members that name this very request taken out. */
const withoutRequest = (body: string) =>
  body.replace(/,?"request_id":"[^"]*"/, '').replace(/,?"instance":"[^"]*"/, '');

function call(method: Method, url: string, auth: Auth, body?: unknown) {
  return rig.call(method, url, { auth, ...(body !== undefined ? { body } : {}) });
}

beforeAll(async () => {
  a = await tenant('Alpha');
  b = await tenant('Bravo');
  const registered = await rig.call('POST', '/v1/auth/register', {
    body: { email: `bystander-${randomBytes(3).toString('hex')}@example.com`, password: PASSWORD },
  });
  expect(registered.statusCode).toBe(201);
  bystander = { email: registered.json().email };
  before = await snapshot(b.id);
  // The snapshot must hold something to lose: the workspace, four members, four keys, a connection.
  expect(
    [before.workspaces, before.memberships, before.api_keys, before.connections].map((r) => r.length),
  ).toEqual([1, 4, 4, 1]);
}, 60_000);

describe.each(CALLERS)('$label on B’s path', (caller) => {
  it.each(ROUTES)('$method $name → 404 WORKSPACE_NOT_FOUND, same as for no workspace', async (route) => {
    const body = route.body?.();
    const onB = await call(route.method, route.path(b.id), caller.auth(), body);
    const onMissing = await call(route.method, route.path(MISSING), caller.auth(), body);

    expect({ status: onB.statusCode, code: onB.json().code }).toEqual({
      status: 404,
      code: 'WORKSPACE_NOT_FOUND',
    });
    expect(onB.headers['content-type']).toBe(onMissing.headers['content-type']);
    expect(withoutRequest(onB.body)).toBe(withoutRequest(onMissing.body));
    expectNothingOfB(onB);
    expect(await snapshot(b.id)).toEqual(before);
  });
});

describe('B’s ids under A’s own path', () => {
  const attacks = [
    {
      name: 'revoke B’s API key',
      method: 'DELETE',
      path: () => `api-keys/${b.keys.owner.id}`,
      code: 'API_KEY_NOT_FOUND',
      missing: 'api-keys/key_doesnotexist',
    },
    {
      name: 'delete B’s connection',
      method: 'DELETE',
      path: () => `connections/${b.connectionId}`,
      code: 'CONNECTION_NOT_FOUND',
      missing: 'connections/con_doesnotexist',
    },
    {
      name: 'remove B’s member',
      method: 'DELETE',
      path: () => `members/${b.users.editor.id}`,
      code: 'MEMBER_NOT_FOUND',
      missing: 'members/usr_doesnotexist',
    },
    {
      name: 'remove B’s owner',
      method: 'DELETE',
      path: () => `members/${b.owner.id}`,
      code: 'MEMBER_NOT_FOUND',
      missing: 'members/usr_doesnotexist',
    },
    {
      name: 'promote B’s member',
      method: 'PATCH',
      path: () => `members/${b.users.viewer.id}`,
      body: { role: 'admin' },
      code: 'MEMBER_NOT_FOUND',
      missing: 'members/usr_doesnotexist',
    },
  ] as const;
  const attackers = [
    { label: 'A’s owner', auth: () => a.owner.auth },
    { label: 'A’s owner API key', auth: () => a.keys.owner.auth },
    { label: 'A’s admin API key', auth: () => a.keys.admin.auth },
  ];

  describe.each(attackers)('as $label', (attacker) => {
    it.each(attacks)('$name → 404 $code, B unchanged', async (attack) => {
      const body = 'body' in attack ? attack.body : undefined;
      const response = await call(
        attack.method,
        `/v1/workspaces/${a.id}/${attack.path()}`,
        attacker.auth(),
        body,
      );
      expect({ status: response.statusCode, code: response.json().code }).toEqual({
        status: 404,
        code: attack.code,
      });
      // Naming B's id tells A no more than naming an id that exists nowhere.
      const nowhere = await call(
        attack.method,
        `/v1/workspaces/${a.id}/${attack.missing}`,
        attacker.auth(),
        body,
      );
      expect(withoutRequest(response.body)).toBe(withoutRequest(nowhere.body));
      expectNothingOfB(response);
      expect(await snapshot(b.id)).toEqual(before);
    });
  });
});

describe('platform tools over REST stay inside A', () => {
  const asA = [
    { label: 'A’s owner', auth: () => a.owner.auth },
    { label: 'A’s owner API key', auth: () => a.keys.owner.auth },
  ];

  const tool = async (auth: Auth, name: string, body: unknown = {}) => {
    const response = await call('POST', `/v1/workspaces/${a.id}/tools/${name}`, auth, body);
    expect({ status: response.statusCode, body: response.body }).toMatchObject({ status: 200 });
    expectNothingOfB(response);
    return response.json().output;
  };

  describe.each(asA)('as $label', (caller) => {
    it('list_members lists A’s members only', async () => {
      const output = await tool(caller.auth(), 'list_members');
      expect(output.members.map((m: { user_id: string }) => m.user_id).sort()).toEqual(
        ROLES.map((role) => a.users[role].id).sort(),
      );
    });

    it('list_connections lists A’s connection only', async () => {
      const output = await tool(caller.auth(), 'list_connections');
      expect(output.connections.map((c: { id: string }) => c.id)).toEqual([a.connectionId]);
    });

    it('list_audit_events shows A’s trail only', async () => {
      const output = await tool(caller.auth(), 'list_audit_events', { limit: 100 });
      expect(output.events.length).toBeGreaterThan(0);
      // B has a trail of its own that could have leaked (the check above found none of it).
      const [row] = await rig
        .db()
        .query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events WHERE workspace_id = $1', [b.id]);
      expect(row?.n).toBeGreaterThan(0);
    });

    it('whoami names workspace A', async () => {
      const output = await tool(caller.auth(), 'whoami');
      expect(output.workspace).toMatchObject({ id: a.id, name: 'Alpha' });
    });

    it('list_workspaces shows A only', async () => {
      const output = await tool(caller.auth(), 'list_workspaces');
      expect(output.workspaces.map((w: { id: string }) => w.id)).toEqual([a.id]);
    });
  });

  it('A’s REST listings never show B either', async () => {
    for (const part of ['members', 'api-keys', 'connections', 'audit?limit=100']) {
      const response = await call('GET', `/v1/workspaces/${a.id}/${part}`, a.owner.auth);
      expect(response.statusCode).toBe(200);
      expectNothingOfB(response);
    }
    const workspaces = await call('GET', '/v1/workspaces', a.owner.auth);
    expect(workspaces.json().workspaces.map((w: { id: string }) => w.id)).toEqual([a.id]);
  });

  it('leaves B exactly as it was', async () => {
    expect(await snapshot(b.id)).toEqual(before);
  });

  it('leaves B’s keys, connection and members working for B (runs last: it uses them)', async () => {
    const members = await call('GET', `/v1/workspaces/${b.id}/members`, b.keys.viewer.auth);
    expect(members.statusCode).toBe(200);
    expect(
      members
        .json()
        .members.map((m: { user_id: string }) => m.user_id)
        .sort(),
    ).toEqual(ROLES.map((role) => b.users[role].id).sort());
    const bases = await call('POST', `/v1/workspaces/${b.id}/tools/list_bases`, b.keys.viewer.auth, {});
    expect(bases.statusCode).toBe(200);
  });
});
