import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, expect } from 'vitest';
import { PASSWORD, type PlatformRig, type RigUser, SAMPLE_CRM, usePlatformRig } from './platform-rig.ts';

/**
 * The world of the bad-input specs: a signed-in owner (with a connected workspace and an
 * editor member) and every endpoint that takes a body, params or a query, with a body it
 * accepts, its string and required fields, and plausible values for fuzzing.
 */

export interface Endpoint {
  label: string;
  method: 'GET' | 'POST' | 'PATCH';
  /** The path with the owner's workspace and the member as params. */
  path: () => string;
  /** With `{id}` (and `{userId}`) where an id goes in the path; absent when there are no params. */
  template?: string;
  auth: boolean;
  /** A body the endpoint accepts (fresh each call: emails must be unique). */
  valid?: () => Record<string, unknown>;
  /** The body's string fields. */
  stringFields?: string[];
  /** The fields a body must have. */
  required?: string[];
  /** Plausible values per key for the property test, mixed with arbitrary JSON. */
  plausible?: Record<string, fc.Arbitrary<unknown>>;
  /** How many rows of each table a 2xx adds. */
  adds?: Partial<Record<CountedTable, number>>;
}

export type CountedTable = 'users' | 'workspaces' | 'memberships' | 'api_keys' | 'connections';
export const COUNTED: CountedTable[] = ['users', 'workspaces', 'memberships', 'api_keys', 'connections'];

const unique = () => randomBytes(4).toString('hex');

const ROLES = ['owner', 'admin', 'editor', 'viewer'] as const;

/** What the endpoints need of the world, read when a request is made (the world is made in beforeAll). */
interface WorldRefs {
  owner: () => RigUser;
  member: () => RigUser;
  workspaceId: () => string;
  airtableToken: () => string;
}

/** Signing up and in, tokens, passwords. */
function accountEndpoints({ owner }: WorldRefs): Endpoint[] {
  return [
    {
      label: 'register',
      required: ['email', 'password'],
      method: 'POST',
      path: () => '/v1/auth/register',
      auth: false,
      valid: () => ({ email: `reg-${unique()}@example.com`, password: PASSWORD, name: 'Reg' }),
      stringFields: ['email', 'password', 'name'],
      plausible: {
        email: fc.emailAddress(),
        password: fc.string({ minLength: 8, maxLength: 40 }),
        name: fc.string({ maxLength: 30 }),
      },
      adds: { users: 1 },
    },
    {
      label: 'login',
      required: ['email', 'password'],
      method: 'POST',
      path: () => '/v1/auth/login',
      auth: false,
      valid: () => ({ email: owner().email, password: 'not the right password' }),
      stringFields: ['email', 'password'],
      plausible: { email: fc.emailAddress(), password: fc.string({ maxLength: 40 }) },
    },
    {
      label: 'refresh',
      required: ['refresh_token'],
      method: 'POST',
      path: () => '/v1/auth/refresh',
      auth: false,
      valid: () => ({ refresh_token: `asr_${unique()}` }),
      stringFields: ['refresh_token'],
      plausible: { refresh_token: fc.string({ maxLength: 60 }) },
    },
    {
      label: 'change password',
      required: ['current_password', 'new_password'],
      method: 'POST',
      path: () => '/v1/me/password',
      auth: true,
      // Never the owner's real password: the other specs go on signing in with it.
      valid: () => ({ current_password: 'not the right password', new_password: `fresh ${unique()} phrase` }),
      stringFields: ['current_password', 'new_password'],
      plausible: {
        current_password: fc.string({ maxLength: 40 }),
        new_password: fc.string({ maxLength: 40 }),
      },
    },
  ];
}

/** A workspace, its members and its API keys. */
function workspaceEndpoints({ member, workspaceId }: WorldRefs): Endpoint[] {
  return [
    {
      label: 'create workspace',
      required: ['name'],
      method: 'POST',
      path: () => '/v1/workspaces',
      auth: true,
      valid: () => ({ name: 'Fuzz space' }),
      stringFields: ['name'],
      plausible: { name: fc.string({ maxLength: 40 }) },
      adds: { workspaces: 1, memberships: 1 },
    },
    {
      label: 'rename workspace',
      required: ['name'],
      method: 'PATCH',
      path: () => `/v1/workspaces/${workspaceId()}`,
      template: '/v1/workspaces/{id}',
      auth: true,
      valid: () => ({ name: 'Team space' }),
      stringFields: ['name'],
      plausible: { name: fc.string({ maxLength: 40 }) },
    },
    {
      label: 'add member',
      required: ['email', 'role'],
      method: 'POST',
      path: () => `/v1/workspaces/${workspaceId()}/members`,
      template: '/v1/workspaces/{id}/members',
      auth: true,
      valid: () => ({ email: `nobody-${unique()}@example.com`, role: 'viewer' }),
      stringFields: ['email', 'role'],
      plausible: { email: fc.emailAddress(), role: fc.constantFrom(...ROLES) },
      adds: { memberships: 1 },
    },
    {
      label: 'change member role',
      required: ['role'],
      method: 'PATCH',
      path: () => `/v1/workspaces/${workspaceId()}/members/${member().id}`,
      template: '/v1/workspaces/{id}/members/{userId}',
      auth: true,
      valid: () => ({ role: 'editor' }),
      stringFields: ['role'],
      plausible: { role: fc.constantFrom(...ROLES) },
    },
    {
      label: 'create API key',
      required: ['name', 'role'],
      method: 'POST',
      path: () => `/v1/workspaces/${workspaceId()}/api-keys`,
      template: '/v1/workspaces/{id}/api-keys',
      auth: true,
      valid: () => ({ name: 'CI', role: 'viewer' }),
      stringFields: ['name', 'role', 'expires_at'],
      plausible: {
        name: fc.string({ maxLength: 40 }),
        role: fc.constantFrom(...ROLES),
        expires_at: fc.constantFrom('2099-01-01T00:00:00Z', '2000-01-01T00:00:00Z', 'tomorrow'),
      },
      adds: { api_keys: 1 },
    },
  ];
}

/** A workspace's Airtable connection and its tools. */
function connectionAndToolEndpoints({ workspaceId, airtableToken }: WorldRefs): Endpoint[] {
  return [
    {
      label: 'create connection',
      required: ['name', 'token'],
      method: 'POST',
      path: () => `/v1/workspaces/${workspaceId()}/connections`,
      template: '/v1/workspaces/{id}/connections',
      auth: true,
      valid: () => ({ name: 'Emulator', token: airtableToken() }),
      stringFields: ['name', 'token'],
      plausible: {
        name: fc.string({ maxLength: 40 }),
        token: fc.oneof(fc.constant(airtableToken()), fc.string({ minLength: 10, maxLength: 60 })),
        bases: fc.array(fc.constantFrom(SAMPLE_CRM, 'appNope123', 'nope'), { maxLength: 3 }),
      },
      adds: { connections: 1 },
    },
    {
      label: 'call a tool',
      required: ['base_id', 'table'],
      method: 'POST',
      path: () => `/v1/workspaces/${workspaceId()}/tools/count_records`,
      template: '/v1/workspaces/{id}/tools/count_records',
      auth: true,
      valid: () => ({ base_id: SAMPLE_CRM, table: 'Companies' }),
      stringFields: ['base_id', 'table'],
      plausible: {
        base_id: fc.oneof(fc.constant(SAMPLE_CRM), fc.string({ maxLength: 20 })),
        table: fc.oneof(fc.constantFrom('Companies', 'Deals'), fc.string({ maxLength: 20 })),
      },
    },
  ];
}

async function countRows(rig: PlatformRig): Promise<Record<CountedTable, number>> {
  const out = {} as Record<CountedTable, number>;
  for (const table of COUNTED) {
    const [row] = await rig.db().query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    out[table] = row?.n ?? 0;
  }
  return out;
}

export function useBadInputWorld() {
  const rig = usePlatformRig();

  let owner: RigUser;
  let member: RigUser;
  let workspaceId: string;

  beforeAll(async () => {
    owner = await rig.user('owner');
    member = await rig.user('member');
    workspaceId = await rig.workspace(owner, { connect: true });
    await rig.addMember(owner, workspaceId, member, 'editor');
  }, 60_000);

  const refs: WorldRefs = {
    owner: () => owner,
    member: () => member,
    workspaceId: () => workspaceId,
    airtableToken: () => rig.airtableToken(),
  };
  const ENDPOINTS: Endpoint[] = [
    ...accountEndpoints(refs),
    ...workspaceEndpoints(refs),
    ...connectionAndToolEndpoints(refs),
  ];

  const PARAM_TEMPLATES = [
    ...ENDPOINTS.filter((e) => e.template).map((e) => ({
      label: e.label,
      method: e.method,
      template: e.template!,
    })),
    { label: 'read the audit trail', method: 'GET' as const, template: '/v1/workspaces/{id}/audit' },
  ];

  function send(
    endpoint: Pick<Endpoint, 'method' | 'auth'> & { url: string },
    payload?: string | Buffer,
    contentType = 'application/json',
  ): Promise<LightMyRequestResponse> {
    return rig.app().inject({
      method: endpoint.method,
      url: endpoint.url,
      headers: {
        ...(endpoint.auth ? owner.auth : {}),
        ...(payload !== undefined ? { 'content-type': contentType } : {}),
      },
      ...(payload !== undefined ? { payload } : {}),
    });
  }

  const sendJson = (endpoint: Endpoint, body: unknown) =>
    send({ ...endpoint, url: endpoint.path() }, JSON.stringify(body));

  const counts = () => countRows(rig);

  return {
    rig,
    ENDPOINTS,
    PARAM_TEMPLATES,
    send,
    sendJson,
    counts,
    owner: () => owner,
    member: () => member,
    workspaceId: () => workspaceId,
  };
}

/** Asserts the reply is not a server fault; a non-2xx is a problem+json with a code. Returns the code. */
export function expectClientOutcome(response: LightMyRequestResponse): string | undefined {
  expect(response.statusCode, response.body).toBeLessThan(500);
  if (response.statusCode < 300) return undefined;
  expect(response.statusCode).toBeGreaterThanOrEqual(400);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const code = response.json().code;
  expect(typeof code).toBe('string');
  return code as string;
}

/** A VALIDATION_FAILED that names `field`; the tool route reports its own TOOL_INVALID_INPUT issues. */
export function expectFieldError(
  endpoint: Pick<Endpoint, 'label'>,
  response: LightMyRequestResponse,
  field: string,
) {
  expect(response.statusCode, response.body).toBe(400);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json();
  if (endpoint.label === 'call a tool') {
    expect(body.code).toBe('TOOL_INVALID_INPUT');
    expect(body.issues.map((i: { path: string }) => i.path)).toContain(field);
    return;
  }
  expect(body.code).toBe('VALIDATION_FAILED');
  expect(body.errors.map((e: { field: string }) => e.field)).toContain(field);
}
