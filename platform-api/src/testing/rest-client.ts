import { randomBytes } from 'node:crypto';
import { PASSWORD } from './platform-rig.ts';

/** One answer of the REST API: the status, the problem's `code` when it failed, the body. */
export interface RestAnswer {
  status: number;
  code?: string;
  headers: Headers;
  body: Record<string, unknown>;
}

/** Calls a running platform over real HTTP (what a client outside the process sees). */
export async function callRest(
  baseUrl: string,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  options: { bearer?: string; body?: unknown } = {},
): Promise<RestAnswer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.bearer ? { authorization: `Bearer ${options.bearer}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  return {
    status: response.status,
    headers: response.headers,
    body,
    ...(typeof body.code === 'string' ? { code: body.code } : {}),
  };
}

/** A user signed in to a running platform: their id, access token and email. */
export interface RestUser {
  id: string;
  email: string;
  accessToken: string;
}

async function expectStatus(answer: Promise<RestAnswer>, status: number, what: string): Promise<RestAnswer> {
  const settled = await answer;
  if (settled.status !== status)
    throw new Error(`${what}: ${settled.status} ${JSON.stringify(settled.body)}`);
  return settled;
}

/** Registers and signs in a new user with a unique email. */
export async function signUp(baseUrl: string, label = 'user'): Promise<RestUser> {
  const email = `${label}-${randomBytes(4).toString('hex')}@example.com`;
  const body = { email, password: PASSWORD };
  const registered = await expectStatus(
    callRest(baseUrl, 'POST', '/v1/auth/register', { body }),
    201,
    'register',
  );
  const login = await expectStatus(callRest(baseUrl, 'POST', '/v1/auth/login', { body }), 200, 'login');
  return { id: String(registered.body.id), email, accessToken: String(login.body.access_token) };
}

/** A workspace owned by `owner`; returns its id. */
export async function createWorkspace(baseUrl: string, owner: RestUser): Promise<string> {
  const created = await expectStatus(
    callRest(baseUrl, 'POST', '/v1/workspaces', { bearer: owner.accessToken, body: { name: 'Team space' } }),
    201,
    'workspace',
  );
  return String(created.body.id);
}

/** A new API key of the workspace (as `owner`): its id and the secret to send. */
export async function createApiKey(
  baseUrl: string,
  owner: RestUser,
  workspaceId: string,
  role = 'editor',
): Promise<{ id: string; key: string }> {
  const created = await expectStatus(
    callRest(baseUrl, 'POST', `/v1/workspaces/${workspaceId}/api-keys`, {
      bearer: owner.accessToken,
      body: { name: `${role} key`, role },
    }),
    201,
    'api key',
  );
  return { id: String(created.body.id), key: String(created.body.key) };
}
