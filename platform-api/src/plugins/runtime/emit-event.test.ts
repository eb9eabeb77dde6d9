import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WorkspaceAccess } from '../../principal.ts';
import { type RigUser, usePlatformRig } from '../../testing/platform-rig.ts';
import type { PluginManifestInput } from '../manifest.ts';
import { WAT, wasmOf } from '../testing/wat-fixtures.ts';

/**
 * emit_event: a plugin emits events of its own, `plugin.<plugin>.<type>`, of the types its
 * manifest declares. They are events like the platform's: written to the outbox, queued for
 * the endpoints that subscribe (`plugin.<plugin>.*` too), never handed back to plugins.
 */

const rig = usePlatformRig({
  webhooks: { deliver: false, resolve: async () => [{ address: '93.184.216.34', family: 4 }] },
});

let owner: RigUser;
let access: WorkspaceAccess;
let workspace = '';
let relay: Uint8Array;

const manifest = (emit: string[]): PluginManifestInput => ({
  name: 'scorer',
  version: '1.0.0',
  description: 'Emits events for the specs',
  author: 'AirSuite specs',
  functions: [
    { name: 'relay_emit_event', description: 'Relays emit_event.', input_schema: { type: 'object' } },
  ],
  permissions: { events: { emit } },
});

const emit = (input: unknown) =>
  rig.platform().plugins.runtime.call(access, 'scorer', 'relay_emit_event', input);

beforeAll(async () => {
  relay = await wasmOf(WAT.relay(['emit_event']));
});

beforeEach(async () => {
  owner = await rig.user('owner');
  workspace = await rig.workspace(owner);
  const platform = rig.platform();
  access = await platform.workspaces.access(await platform.authenticate(owner.accessToken), workspace);
});

async function install(emitTypes: string[]) {
  const { registry } = rig.platform().plugins;
  await registry.publish(access, { manifest: manifest(emitTypes), module: relay });
  await registry.install(access, { name: 'scorer', version: '1.0.0' });
}

async function eventsOf(type: string) {
  return rig
    .db()
    .query<{ id: string; payload: { actor: unknown; data: unknown; type: string }; messages: number }>(
      `SELECT e.id, e.payload, (SELECT count(*)::int FROM webhook_messages m WHERE m.event_id = e.id) AS messages
       FROM webhook_events e WHERE e.workspace_id = $1 AND e.type = $2 ORDER BY e.seq`,
      [workspace, type],
    );
}

describe('emit_event', () => {
  it('writes a declared event as plugin.<plugin>.<type>, by the plugin, for the endpoints that subscribe', async () => {
    await install(['lead_scored']);
    await rig.platform().webhooks.endpoints.create(access, {
      url: 'https://hooks.example.com/leads',
      eventTypes: ['plugin.scorer.*'],
    });
    const answer = (await emit({
      type: 'lead_scored',
      data: { record_id: 'rec1', score: 87, who: 'Zoë' },
    })) as {
      ok: boolean;
      id: string;
      type: string;
    };
    expect(answer).toMatchObject({ ok: true, type: 'plugin.scorer.lead_scored' });
    const [event] = await eventsOf('plugin.scorer.lead_scored');
    expect(event?.id).toBe(answer.id);
    expect(event?.payload).toMatchObject({
      type: 'plugin.scorer.lead_scored',
      actor: { type: 'plugin', id: 'scorer' },
      data: { record_id: 'rec1', score: 87, who: 'Zoë' },
    });
    expect(event?.messages).toBe(1);
  });

  it('refuses a type the manifest does not declare, as an answer, and audits it', async () => {
    await install(['lead_scored']);
    expect(await emit({ type: 'invoice_sent', data: {} })).toEqual({
      ok: false,
      error: {
        code: 'FORBIDDEN',
        message: `the plugin may not emit "invoice_sent" events (its manifest's permissions.events.emit)`,
      },
    });
    expect(await eventsOf('plugin.scorer.invoice_sent')).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const denied = await rig
      .db()
      .query<{ action: string; outcome: string }>(
        `SELECT action, outcome FROM audit_events WHERE workspace_id = $1 AND action = 'plugin.host_call.emit_event'`,
        [workspace],
      );
    expect(denied).toEqual([{ action: 'plugin.host_call.emit_event', outcome: 'denied' }]);
  });

  it('answers a malformed request or oversized data with what is wrong', async () => {
    await install(['lead_scored']);
    expect(await emit({ type: 'Lead Scored' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST' },
    });
    expect(await emit({ type: 'lead_scored', data: { blob: 'x'.repeat(70_000) } })).toMatchObject({
      ok: false,
      error: { code: 'TOO_LARGE' },
    });
  });

  it('is refused to a plugin that declares no event types', async () => {
    await install([]);
    expect(await emit({ type: 'lead_scored' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
