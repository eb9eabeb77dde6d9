import { expect } from 'vitest';
import {
  adminsOnly,
  echoModule,
  ed25519Key,
  everyone,
  installedVersion,
  installPlugin,
  nextUniq,
  owner,
  pluginManifest,
  pluginOf,
  publishPlugin,
  type Row,
  rig,
} from '../testing/permission-matrix-kit.ts';

/** Rows of the permission matrix: Plugins: versions, installations, functions, settings and trusted keys. */
export const pluginRows: Row[] = [
  {
    name: 'GET /plugins',
    expect: everyone(200),
    request: async (ws) => ({ method: 'GET', url: `/v1/workspaces/${ws}/plugins` }),
  },
  {
    name: 'GET /plugins/{name}',
    expect: everyone(200),
    request: async (ws) => ({ method: 'GET', url: `/v1/workspaces/${ws}/plugins/${await pluginOf(ws)}` }),
  },
  {
    name: 'GET /plugin-versions',
    expect: everyone(200),
    request: async (ws) => ({ method: 'GET', url: `/v1/workspaces/${ws}/plugin-versions` }),
  },
  {
    name: 'POST /plugin-versions',
    expect: adminsOnly(201),
    async request(ws) {
      const uniq = nextUniq();
      return {
        method: 'POST',
        url: `/v1/workspaces/${ws}/plugin-versions`,
        body: { manifest: pluginManifest(`published_${uniq}`, '1.0.0'), module: echoModule },
      };
    },
  },
  {
    name: 'POST /plugins (install)',
    expect: adminsOnly(201),
    async request(ws) {
      const uniq = nextUniq();
      const name = `installable_${uniq}`;
      await publishPlugin(ws, name, '1.0.0');
      return {
        method: 'POST',
        url: `/v1/workspaces/${ws}/plugins`,
        body: { name, version: '1.0.0' },
        afterwards: async (allowed) =>
          expect(await installedVersion(ws, name)).toBe(allowed ? '1.0.0' : undefined),
      };
    },
  },
  {
    name: 'PUT /plugins/{name}/version',
    expect: adminsOnly(200),
    async request(ws) {
      const name = await installPlugin(ws, ['1.0.0', '1.1.0']);
      return {
        method: 'PUT',
        url: `/v1/workspaces/${ws}/plugins/${name}/version`,
        body: { version: '1.1.0' },
        afterwards: async (allowed) =>
          expect(await installedVersion(ws, name)).toBe(allowed ? '1.1.0' : '1.0.0'),
      };
    },
  },
  {
    name: 'POST /plugins/{name}/rollback',
    expect: adminsOnly(200),
    async request(ws) {
      const name = await installPlugin(ws, ['1.0.0', '1.1.0']);
      const upgraded = await rig.call('PUT', `/v1/workspaces/${ws}/plugins/${name}/version`, {
        auth: owner.auth,
        body: { version: '1.1.0' },
      });
      expect(upgraded.statusCode).toBe(200);
      return {
        method: 'POST',
        url: `/v1/workspaces/${ws}/plugins/${name}/rollback`,
        afterwards: async (allowed) =>
          expect(await installedVersion(ws, name)).toBe(allowed ? '1.0.0' : '1.1.0'),
      };
    },
  },
  {
    name: 'PATCH /plugins/{name} (disable)',
    expect: adminsOnly(200),
    request: async (ws) => ({
      method: 'PATCH',
      url: `/v1/workspaces/${ws}/plugins/${await installPlugin(ws)}`,
      body: { enabled: false },
    }),
  },
  {
    name: 'DELETE /plugins/{name}',
    expect: adminsOnly(204),
    async request(ws) {
      const name = await installPlugin(ws);
      return {
        method: 'DELETE',
        url: `/v1/workspaces/${ws}/plugins/${name}`,
        afterwards: async (allowed) =>
          expect(await installedVersion(ws, name)).toBe(allowed ? undefined : '1.0.0'),
      };
    },
  },
  {
    name: 'POST /plugins/{name}/functions/noop (read-only)',
    expect: everyone(200),
    request: async (ws) => ({
      method: 'POST',
      url: `/v1/workspaces/${ws}/plugins/${await pluginOf(ws)}/functions/noop`,
      body: { input: {} },
    }),
  },
  {
    name: 'POST /plugins/{name}/functions/echo',
    expect: { owner: 200, admin: 200, editor: 200, viewer: 'FORBIDDEN' },
    request: async (ws) => ({
      method: 'POST',
      url: `/v1/workspaces/${ws}/plugins/${await pluginOf(ws)}/functions/echo`,
      body: { input: { hello: 'matrix' } },
    }),
  },
  {
    name: 'GET /plugin-settings',
    expect: everyone(200),
    request: async (ws) => ({ method: 'GET', url: `/v1/workspaces/${ws}/plugin-settings` }),
  },
  {
    // The default again: the shared workspace keeps publishing unsigned plugins.
    name: 'PATCH /plugin-settings',
    expect: adminsOnly(200),
    request: async (ws) => ({
      method: 'PATCH',
      url: `/v1/workspaces/${ws}/plugin-settings`,
      body: { max_memory_pages: 256 },
    }),
  },
  {
    name: 'GET /plugin-keys',
    expect: everyone(200),
    request: async (ws) => ({ method: 'GET', url: `/v1/workspaces/${ws}/plugin-keys` }),
  },
  {
    name: 'POST /plugin-keys',
    expect: adminsOnly(201),
    async request(ws) {
      const uniq = nextUniq();
      return {
        method: 'POST',
        url: `/v1/workspaces/${ws}/plugin-keys`,
        body: { id: `matrix-${uniq}`, name: 'Matrix key', public_key: ed25519Key() },
      };
    },
  },
  {
    name: 'DELETE /plugin-keys/{keyId}',
    expect: adminsOnly(204),
    async request(ws) {
      const uniq = nextUniq();
      const id = `doomed-${uniq}`;
      const added = await rig.call('POST', `/v1/workspaces/${ws}/plugin-keys`, {
        auth: owner.auth,
        body: { id, name: 'Doomed key', public_key: ed25519Key() },
      });
      expect(added.statusCode).toBe(201);
      return {
        method: 'DELETE',
        url: `/v1/workspaces/${ws}/plugin-keys/${id}`,
        async afterwards(allowed) {
          const rows = await rig
            .db()
            .query('SELECT id FROM plugin_trusted_keys WHERE workspace_id = $1 AND id = $2', [ws, id]);
          expect(rows).toHaveLength(allowed ? 0 : 1);
        },
      };
    },
  },
];
