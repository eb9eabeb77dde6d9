import { beforeEach, describe, expect, it } from 'vitest';
import type { WorkspaceAccess } from '../../principal.ts';
import { type RigUser, SAMPLE_CRM, usePlatformRig } from '../../testing/platform-rig.ts';
import type { PluginManifestInput } from '../manifest.ts';
import { WAT, wasmOf } from '../testing/wat-fixtures.ts';

/**
 * Plugins' on_event handlers receive their workspace's events (the webhook catalogue), queued
 * in the event's own transaction and handed over by a worker with retries: a handler reacts to
 * a record created through the tools; a failing one is retried, then dead; plugin events are
 * never handed to plugins (no loops).
 */

const rig = usePlatformRig({
  webhooks: { deliver: false },
  plugins: { events: { pollMs: 50, backoffMs: [50], maxAttempts: 2 } },
});

let owner: RigUser;
let workspace = '';
let access: WorkspaceAccess;

async function handler(name: string, source: string, events: string[]) {
  const manifest: PluginManifestInput = {
    name,
    version: '1.0.0',
    description: 'Reacts to events',
    author: 'AirSuite specs',
    hooks: { on_event: { events } },
    permissions: { kv: true },
  };
  const { registry } = rig.platform().plugins;
  await registry.publish(access, { manifest, module: await wasmOf(source) });
  await registry.install(access, { name, version: '1.0.0' });
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const deliveries = () =>
  rig
    .db()
    .query<{ plugin: string; state: string; attempts: number; last_error: string | null }>(
      'SELECT plugin, state, attempts, last_error FROM plugin_event_deliveries WHERE workspace_id = $1 ORDER BY created_at',
      [workspace],
    );

beforeEach(async () => {
  owner = await rig.user('owner');
  workspace = await rig.workspace(owner, { connect: true });
  const platform = rig.platform();
  access = await platform.workspaces.access(await platform.authenticate(owner.accessToken), workspace);
});

describe('on_event handlers', () => {
  it('react to a record created through the tools', async () => {
    await handler('watcher', WAT.storeEvent, ['record.created']);
    const name = `Event Ltd ${Math.random().toString(36).slice(2, 8)}`;
    const created = await rig.call('POST', `/v1/workspaces/${workspace}/tools/create_records`, {
      auth: owner.auth,
      body: { base_id: SAMPLE_CRM, table: 'Companies', records: [{ fields: { Name: name } }] },
    });
    expect(created.statusCode).toBe(200);
    const stored = await until(
      () =>
        rig
          .db()
          .query<{ value: { type: string; data: { record: { fields: Record<string, unknown> } } } }>(
            `SELECT value FROM plugin_kv WHERE workspace_id = $1 AND plugin = 'watcher' AND key = 'last'`,
            [workspace],
          ),
      (rows) => rows.length > 0,
    );
    expect(stored[0]?.value).toMatchObject({
      type: 'record.created',
      data: { record: { fields: { Name: name } } },
    });
    expect(await deliveries()).toEqual([
      { plugin: 'watcher', state: 'delivered', attempts: 1, last_error: null },
    ]);
  });

  it('are handed only the types they name, and never plugin events', async () => {
    await handler('members', WAT.storeEvent, ['member.*', 'plugin.*']);
    await rig.platform().plugins.registry.setEnabled(access, 'members', false);
    await rig.platform().plugins.registry.setEnabled(access, 'members', true);
    await rig.call('POST', `/v1/workspaces/${workspace}/tools/create_records`, {
      auth: owner.auth,
      body: { base_id: SAMPLE_CRM, table: 'Companies', records: [{ fields: { Name: 'Ignored Ltd' } }] },
    });
    expect(await deliveries()).toEqual([]);
  });

  it('that fail are retried, then dead, with the error kept', async () => {
    await handler('broken', WAT.crash.replace('"crash"', '"on_event"'), ['record.created']);
    await rig.call('POST', `/v1/workspaces/${workspace}/tools/create_records`, {
      auth: owner.auth,
      body: { base_id: SAMPLE_CRM, table: 'Companies', records: [{ fields: { Name: 'Crash Ltd' } }] },
    });
    const rows = await until(deliveries, (r) => r[0]?.state === 'dead');
    expect(rows).toEqual([
      {
        plugin: 'broken',
        state: 'dead',
        attempts: 2,
        last_error: expect.stringMatching(/^PLUGIN_CRASHED: /),
      },
    ]);
  });

  it('leave nothing queued when the change rolls back', async () => {
    await handler('watcher', WAT.storeEvent, ['*']);
    const outbox = rig.platform().webhooks.outbox;
    await expect(
      rig.db().transaction(async (tx) => {
        await outbox.emit(tx, [
          {
            workspaceId: workspace,
            type: 'webhook.test',
            actor: { type: 'system', id: 'spec' },
            data: { message: 'rolled back' },
          },
        ]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await deliveries()).toEqual([]);
  });
});
