import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WorkspaceAccess } from '../principal.ts';
import { type RigUser, SAMPLE_CRM, SAMPLE_ROADMAP, usePlatformRig } from '../testing/platform-rig.ts';
import type { PluginManifestInput } from './manifest.ts';
import { QUARANTINE_AFTER_FAULTS } from './plugin-runtime.ts';
import { WAT, wasmOf } from './testing/wat-fixtures.ts';

/**
 * Installed plugins run for their workspace's callers: host calls reach only what the manifest
 * grants (records of named bases and tables, through the gateway; the plugin's own storage),
 * refusals are answers the plugin reads and are audited, and a plugin that keeps faulting is
 * quarantined with an event until an admin enables it again. Another workspace sees none of it.
 */

const rig = usePlatformRig({ webhooks: { deliver: false } });

let owner: RigUser;
let access: WorkspaceAccess;
let workspace = '';
let relay: Uint8Array;
let spin: Uint8Array;

const fn = (name: string) => ({
  name,
  description: `Runs ${name} for the specs.`,
  input_schema: { type: 'object' },
});

async function accessOf(user: RigUser, id: string): Promise<WorkspaceAccess> {
  const platform = rig.platform();
  return platform.workspaces.access(await platform.authenticate(user.accessToken), id);
}

async function installed(manifest: PluginManifestInput, module: Uint8Array, as = access): Promise<void> {
  const { registry } = rig.platform().plugins;
  await registry.publish(as, { manifest, module });
  await registry.install(as, { name: manifest.name, version: manifest.version });
}

const run = (plugin: string, name: string, input: unknown, as = access) =>
  rig.platform().plugins.runtime.call(as, plugin, name, input);

beforeAll(async () => {
  relay = await wasmOf(
    WAT.relay(['records_list', 'records_get', 'records_write', 'kv_get', 'kv_set', 'kv_delete']),
  );
  spin = await wasmOf(WAT.spin);
});

beforeEach(async () => {
  owner = await rig.user('owner');
  workspace = await rig.workspace(owner, { connect: true });
  access = await accessOf(owner, workspace);
});

const relayManifest = (permissions: PluginManifestInput['permissions']): PluginManifestInput => ({
  name: 'relay',
  version: '1.0.0',
  description: 'Relays host calls',
  author: 'AirSuite specs',
  functions: ['records_list', 'records_get', 'records_write', 'kv_get', 'kv_set', 'kv_delete'].map((n) =>
    fn(`relay_${n}`),
  ),
  permissions,
});

describe('host calls', () => {
  it("read the records a grant names, through the workspace's connection", async () => {
    await installed(relayManifest({ records: { read: [{ base: SAMPLE_CRM, tables: ['Deals'] }] } }), relay);
    const answer = (await run('relay', 'relay_records_list', {
      base: SAMPLE_CRM,
      table: 'Deals',
      max_records: 3,
    })) as {
      ok: boolean;
      records: { id: string; fields: Record<string, unknown> }[];
    };
    expect(answer.ok).toBe(true);
    expect(answer.records).toHaveLength(3);
    const first = answer.records[0] as { id: string };
    expect(
      await run('relay', 'relay_records_get', { base: SAMPLE_CRM, table: 'Deals', record_id: first.id }),
    ).toMatchObject({
      ok: true,
      record: { id: first.id },
    });
  });

  it('refuse a table or base the grant does not name, as an answer, and audit it', async () => {
    await installed(relayManifest({ records: { read: [{ base: SAMPLE_CRM, tables: ['Deals'] }] } }), relay);
    for (const [base, table] of [
      [SAMPLE_CRM, 'Contacts'],
      [SAMPLE_ROADMAP, 'Features'],
    ]) {
      expect(await run('relay', 'relay_records_list', { base, table })).toEqual({
        ok: false,
        error: {
          code: 'FORBIDDEN',
          message: `the plugin may not read table "${table}" of base ${base} (its manifest's permissions.records.read)`,
        },
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    const denied = await rig
      .db()
      .query<{ action: string; outcome: string; actor_id: string }>(
        `SELECT action, outcome, actor_id FROM audit_events WHERE workspace_id = $1 AND action LIKE 'plugin.host_call.%' ORDER BY seq`,
        [workspace],
      );
    expect(denied).toEqual([
      { action: 'plugin.host_call.records_list', outcome: 'denied', actor_id: owner.id },
      { action: 'plugin.host_call.records_list', outcome: 'denied', actor_id: owner.id },
    ]);
  });

  it("store and read the plugin's own values, only with the kv grant", async () => {
    await installed(relayManifest({ kv: true }), relay);
    expect(await run('relay', 'relay_kv_get', { key: 'seen' })).toEqual({ ok: true, found: false });
    expect(await run('relay', 'relay_kv_set', { key: 'seen', value: { n: 1, who: 'Zoë' } })).toEqual({
      ok: true,
    });
    expect(await run('relay', 'relay_kv_get', { key: 'seen' })).toEqual({
      ok: true,
      found: true,
      value: { n: 1, who: 'Zoë' },
    });
    expect(await run('relay', 'relay_kv_delete', { key: 'seen' })).toEqual({ ok: true, deleted: true });

    const other = await rig.workspace(owner);
    const otherAccess = await accessOf(owner, other);
    await installed(relayManifest({}), relay, otherAccess);
    expect(await run('relay', 'relay_kv_get', { key: 'seen' }, otherAccess)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('answer a malformed request with what is wrong', async () => {
    await installed(relayManifest({ kv: true }), relay);
    expect(await run('relay', 'relay_kv_set', { value: 1 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST', message: expect.stringMatching(/^kv_set: key: /) },
    });
  });
});

describe('records_write', () => {
  it('writes through the write tools on a granted table: the records land and their events are written', async () => {
    await installed(
      relayManifest({ records: { write: [{ base: SAMPLE_CRM, tables: ['Companies'] }] } }),
      relay,
    );
    const name = `Plugin Ltd ${Math.random().toString(36).slice(2, 8)}`;
    const answer = (await run('relay', 'relay_records_write', {
      action: 'create',
      base: SAMPLE_CRM,
      table: 'Companies',
      records: [{ fields: { Name: name } }],
    })) as { ok: boolean; result: { created: number; records: { id: string }[] } };
    expect(answer).toMatchObject({ ok: true, result: { created: 1 } });
    const events = await rig
      .db()
      .query<{ payload: string }>(
        `SELECT payload::text AS payload FROM webhook_events WHERE workspace_id = $1 AND type = 'record.created'`,
        [workspace],
      );
    expect(events.map((e) => JSON.parse(e.payload).data.record.fields.Name)).toEqual([name]);
  });

  it('refuses a table the write grant does not name, and passes on the tools’ own refusals', async () => {
    await installed(
      relayManifest({ records: { write: [{ base: SAMPLE_CRM, tables: ['Companies'] }] } }),
      relay,
    );
    expect(
      await run('relay', 'relay_records_write', {
        action: 'create',
        base: SAMPLE_CRM,
        table: 'Deals',
        records: [{ fields: {} }],
      }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(
      await run('relay', 'relay_records_write', {
        action: 'create',
        base: SAMPLE_CRM,
        table: 'Companies',
        records: [{ fields: { Nmae: 'typo' } }],
      }),
    ).toMatchObject({ ok: false, error: { code: 'TOOL_UNKNOWN_FIELD' } });
  });
});

describe('faults', () => {
  const spinner: PluginManifestInput = {
    name: 'spinner',
    version: '1.0.0',
    description: 'Never returns',
    author: 'AirSuite specs',
    functions: [fn('spin'), fn('noop')],
    limits: { timeout_ms: 100 },
  };

  it(`quarantine a plugin after ${QUARANTINE_AFTER_FAULTS} in a row, with an event and an audit row, until an admin enables it`, async () => {
    await installed(spinner, spin);
    for (let i = 0; i < QUARANTINE_AFTER_FAULTS; i++) {
      await expect(run('spinner', 'spin', {})).rejects.toMatchObject({ code: 'PLUGIN_TIMEOUT', status: 504 });
    }
    await expect(run('spinner', 'noop', {})).rejects.toMatchObject({
      code: 'PLUGIN_QUARANTINED',
      status: 409,
    });
    const events = await rig
      .db()
      .query<{ payload: string }>(
        `SELECT payload::text AS payload FROM webhook_events WHERE workspace_id = $1 AND type = 'plugin.quarantined'`,
        [workspace],
      );
    expect(events.map((e) => JSON.parse(e.payload))).toEqual([
      expect.objectContaining({
        actor: { type: 'plugin', id: 'spinner' },
        data: {
          plugin: 'spinner',
          version: '1.0.0',
          faults: QUARANTINE_AFTER_FAULTS,
          last_error: {
            code: 'PLUGIN_TIMEOUT',
            message: 'plugin function "spin" ran longer than its 100 ms limit',
          },
        },
      }),
    ]);
    const audited = await rig
      .db()
      .query<{ actor_type: string; target_id: string }>(
        `SELECT actor_type, target_id FROM audit_events WHERE workspace_id = $1 AND action = 'plugin.quarantined'`,
        [workspace],
      );
    expect(audited).toEqual([{ actor_type: 'system', target_id: 'spinner' }]);
    expect(await rig.platform().plugins.registry.get(access, 'spinner')).toMatchObject({
      status: 'quarantined',
      statusReason: expect.stringMatching(/^3 faults in a row, the last PLUGIN_TIMEOUT: /),
    });
    await rig.platform().plugins.registry.setEnabled(access, 'spinner', true);
    expect(await run('spinner', 'noop', {})).toBeNull();
  });

  it('a success resets the count; a disabled plugin does not run', async () => {
    await installed(spinner, spin);
    for (let i = 0; i < 5; i++) {
      await expect(run('spinner', 'spin', {})).rejects.toMatchObject({ code: 'PLUGIN_TIMEOUT' });
      expect(await run('spinner', 'noop', {})).toBeNull();
    }
    await rig.platform().plugins.registry.setEnabled(access, 'spinner', false);
    await expect(run('spinner', 'noop', {})).rejects.toMatchObject({ code: 'PLUGIN_DISABLED' });
  });

  it('an unknown function, or a plugin of another workspace, is not found', async () => {
    await installed(spinner, spin);
    await expect(run('spinner', 'fly', {})).rejects.toMatchObject({
      code: 'PLUGIN_FUNCTION_NOT_FOUND',
      status: 404,
    });
    const other = await accessOf(owner, await rig.workspace(owner));
    await expect(run('spinner', 'noop', {}, other)).rejects.toMatchObject({ code: 'PLUGIN_NOT_FOUND' });
  });
});
