import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import {
  adminsOnly,
  everyone,
  memberWithRole,
  owner,
  ownersOnly,
  type Row,
  rig,
  roleOf,
  stranger,
} from '../testing/permission-matrix-kit.ts';
import { SAMPLE_CRM } from '../testing/platform-rig.ts';

/** Rows of the permission matrix: The workspace itself, its members, API keys, connections, audit and tools. */
export const accessRows: Row[] = [
  {
    name: 'GET /workspaces/{id}',
    expect: everyone(200),
    request: async (ws) => ({ method: 'GET', url: `/v1/workspaces/${ws}` }),
  },
  {
    name: 'PATCH /workspaces/{id} (rename)',
    expect: adminsOnly(200),
    request: async (ws) => ({ method: 'PATCH', url: `/v1/workspaces/${ws}`, body: { name: 'Renamed' } }),
  },
  {
    name: 'DELETE /workspaces/{id}',
    expect: ownersOnly(204),
    freshWorkspace: true,
    request: async (ws) => ({
      method: 'DELETE',
      url: `/v1/workspaces/${ws}`,
      async afterwards(allowed) {
        const rows = await rig.db().query('SELECT id FROM workspaces WHERE id = $1', [ws]);
        expect(rows).toHaveLength(allowed ? 0 : 1);
      },
    }),
  },
  {
    name: 'POST /members (as viewer)',
    expect: adminsOnly(201),
    async request(ws) {
      const target = await stranger();
      return {
        method: 'POST',
        url: `/v1/workspaces/${ws}/members`,
        body: { email: target.email, role: 'viewer' },
        afterwards: async (allowed) =>
          expect(await roleOf(ws, target.id)).toBe(allowed ? 'viewer' : undefined),
      };
    },
  },
  {
    name: 'POST /members (as owner)',
    expect: ownersOnly(201),
    async request(ws) {
      const target = await stranger();
      return {
        method: 'POST',
        url: `/v1/workspaces/${ws}/members`,
        body: { email: target.email, role: 'owner' },
        afterwards: async (allowed) =>
          expect(await roleOf(ws, target.id)).toBe(allowed ? 'owner' : undefined),
      };
    },
  },
  {
    name: 'GET /members',
    expect: everyone(200),
    request: async (ws) => ({ method: 'GET', url: `/v1/workspaces/${ws}/members` }),
  },
  {
    name: 'PATCH /members/{userId} (editor → viewer)',
    expect: adminsOnly(200),
    async request(ws) {
      const target = await memberWithRole(ws, 'editor');
      return {
        method: 'PATCH',
        url: `/v1/workspaces/${ws}/members/${target}`,
        body: { role: 'viewer' },
        afterwards: async (allowed) => expect(await roleOf(ws, target)).toBe(allowed ? 'viewer' : 'editor'),
      };
    },
  },
  {
    name: 'PATCH /members/{userId} (editor → owner)',
    expect: ownersOnly(200),
    async request(ws) {
      const target = await memberWithRole(ws, 'editor');
      return {
        method: 'PATCH',
        url: `/v1/workspaces/${ws}/members/${target}`,
        body: { role: 'owner' },
        afterwards: async (allowed) => expect(await roleOf(ws, target)).toBe(allowed ? 'owner' : 'editor'),
      };
    },
  },
  {
    name: 'PATCH /members/{userId} (owner → admin)',
    expect: ownersOnly(200),
    async request(ws) {
      const target = await memberWithRole(ws, 'owner');
      return {
        method: 'PATCH',
        url: `/v1/workspaces/${ws}/members/${target}`,
        body: { role: 'admin' },
        afterwards: async (allowed) => expect(await roleOf(ws, target)).toBe(allowed ? 'admin' : 'owner'),
      };
    },
  },
  {
    name: 'DELETE /members/{userId} (an editor)',
    expect: adminsOnly(204),
    async request(ws) {
      const target = await memberWithRole(ws, 'editor');
      return {
        method: 'DELETE',
        url: `/v1/workspaces/${ws}/members/${target}`,
        afterwards: async (allowed) => expect(await roleOf(ws, target)).toBe(allowed ? undefined : 'editor'),
      };
    },
  },
  {
    name: 'DELETE /members/{userId} (an owner)',
    expect: ownersOnly(204),
    async request(ws) {
      const target = await memberWithRole(ws, 'owner');
      return {
        method: 'DELETE',
        url: `/v1/workspaces/${ws}/members/${target}`,
        afterwards: async (allowed) => expect(await roleOf(ws, target)).toBe(allowed ? undefined : 'owner'),
      };
    },
  },
  {
    name: 'POST /api-keys (viewer key)',
    expect: adminsOnly(201),
    request: async (ws) => ({
      method: 'POST',
      url: `/v1/workspaces/${ws}/api-keys`,
      body: { name: 'matrix', role: 'viewer' },
    }),
  },
  {
    name: 'POST /api-keys (admin key)',
    expect: adminsOnly(201),
    request: async (ws) => ({
      method: 'POST',
      url: `/v1/workspaces/${ws}/api-keys`,
      body: { name: 'matrix', role: 'admin' },
    }),
  },
  {
    name: 'POST /api-keys (owner key: above an admin)',
    expect: ownersOnly(201),
    request: async (ws) => ({
      method: 'POST',
      url: `/v1/workspaces/${ws}/api-keys`,
      body: { name: 'matrix', role: 'owner' },
    }),
  },
  {
    name: 'GET /api-keys',
    expect: adminsOnly(200),
    request: async (ws) => ({ method: 'GET', url: `/v1/workspaces/${ws}/api-keys` }),
  },
  {
    name: 'DELETE /api-keys/{keyId}',
    expect: adminsOnly(204),
    async request(ws) {
      const key = await rig.apiKey(owner, ws, 'viewer');
      return {
        method: 'DELETE',
        url: `/v1/workspaces/${ws}/api-keys/${key.id}`,
        async afterwards(allowed) {
          const [row] = await rig
            .db()
            .query<{ revoked_at: Date | null }>('SELECT revoked_at FROM api_keys WHERE id = $1', [key.id]);
          expect(row?.revoked_at !== null).toBe(allowed);
        },
      };
    },
  },
  {
    name: 'POST /connections',
    expect: adminsOnly(201),
    request: async (ws) => ({
      method: 'POST',
      url: `/v1/workspaces/${ws}/connections`,
      body: { name: 'Matrix', token: rig.airtableToken() },
    }),
  },
  {
    name: 'GET /connections',
    expect: everyone(200),
    request: async (ws) => ({ method: 'GET', url: `/v1/workspaces/${ws}/connections` }),
  },
  {
    name: 'DELETE /connections/{connectionId}',
    expect: adminsOnly(204),
    async request(ws) {
      const created = await rig.call('POST', `/v1/workspaces/${ws}/connections`, {
        auth: owner.auth,
        body: { name: 'Doomed', token: rig.airtableToken() },
      });
      expect(created.statusCode).toBe(201);
      const id: string = created.json().id;
      return {
        method: 'DELETE',
        url: `/v1/workspaces/${ws}/connections/${id}`,
        async afterwards(allowed) {
          const rows = await rig.db().query('SELECT id FROM connections WHERE id = $1', [id]);
          expect(rows).toHaveLength(allowed ? 0 : 1);
        },
      };
    },
  },
  {
    name: 'GET /audit',
    expect: adminsOnly(200),
    request: async (ws) => ({ method: 'GET', url: `/v1/workspaces/${ws}/audit` }),
  },
  {
    name: 'GET /tools',
    expect: everyone(200),
    request: async (ws) => ({ method: 'GET', url: `/v1/workspaces/${ws}/tools` }),
  },
  {
    name: 'POST /tools/list_bases (read tool)',
    expect: everyone(200),
    request: async (ws) => ({ method: 'POST', url: `/v1/workspaces/${ws}/tools/list_bases`, body: {} }),
  },
  {
    // A tool above the caller's role is not in its catalogue (GET /tools, MCP tools/list), so
    // calling it is TOOL_NOT_FOUND, exactly as over MCP, not a 403 that the catalogue never hinted at.
    name: 'POST /tools/create_records (write tool)',
    expect: { owner: 200, admin: 200, editor: 200, viewer: 'TOOL_NOT_FOUND' },
    request: async (ws) => ({
      method: 'POST',
      url: `/v1/workspaces/${ws}/tools/create_records`,
      body: {
        base_id: SAMPLE_CRM,
        table: 'Companies',
        records: [{ fields: { Name: `Matrix Co ${randomBytes(3).toString('hex')}` } }],
      },
    }),
  },
  {
    name: 'POST /tools/list_audit_events (platform tool, admins)',
    expect: { owner: 200, admin: 200, editor: 'TOOL_NOT_FOUND', viewer: 'TOOL_NOT_FOUND' },
    request: async (ws) => ({
      method: 'POST',
      url: `/v1/workspaces/${ws}/tools/list_audit_events`,
      body: { limit: 5 },
    }),
  },
];
