import { runTool, type ToolContext, webhookTools } from '@airsuite/tools';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RigUser, usePlatformRig } from './testing/platform-rig.ts';
import { type Receiver, startReceiver } from './webhooks/testing/receiver.ts';

/**
 * The webhook tools through the real platform: the REST tool route (as MCP and the chat run
 * them, through `runTool`), the test database, the delivery worker and a real local receiver.
 * Only 127.0.0.1 is allow-listed, so every other private address stays refused.
 */

const rig = usePlatformRig({ webhooks: { allow: ['127.0.0.1'] } });

type Auth = { authorization: string };

const HEADER_VALUE = 'receiver-credential-7f3a';
const WEBHOOK_TOOLS = webhookTools.map((tool) => tool.name);

let owner: RigUser;
let editor: RigUser;
let stranger: RigUser;
let ws: string;
let strangerWs: string;
let receiver: Receiver;

const tool = (workspace: string, name: string, auth: Auth, body: unknown = {}) =>
  rig.call('POST', `/v1/workspaces/${workspace}/tools/${name}`, { auth, body });

/** A tool's `{ output, text }`, or the test fails with the problem the platform answered. */
async function output(workspace: string, name: string, auth: Auth, body: unknown = {}) {
  const response = await tool(workspace, name, auth, body);
  if (response.statusCode !== 200) throw new Error(`${name}: ${response.statusCode} ${response.body}`);
  return response.json();
}

async function until<T>(look: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await look();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** runTool as the MCP server and the chat call it, with the context the platform gives `user` in `workspace`. */
async function runAs(user: RigUser, workspace: string, name: string, input: unknown) {
  const platform = rig.platform();
  const access = await platform.workspaces.access(await platform.authenticate(user.accessToken), workspace);
  // The admins' catalogue: a tool the caller is not even listed must still be refused when called.
  const adminCatalogue = (await platform.tools.catalogueFor({ ...access, role: 'owner' })).tools;
  const definition = adminCatalogue.find((t) => t.name === name);
  if (!definition) throw new Error(`no tool ${name}`);
  const context: ToolContext = {
    ...(await platform.tools.contextFor(access)),
    progress: () => {},
    signal: new AbortController().signal,
    log: () => {},
  };
  return runTool(definition, input, context);
}

/** The endpoint's deliveries once the newest is logged delivered after `attempts` attempts. */
function logged(webhookId: string, attempts: number) {
  return until(async () => {
    const { output: page } = await output(ws, 'list_webhook_deliveries', owner.auth, {
      webhook_id: webhookId,
    });
    const newest = page.deliveries[0];
    return newest?.state === 'delivered' && newest.attempt_count >= attempts ? page.deliveries : undefined;
  }, `a delivery logged after ${attempts} attempt(s)`);
}

const endpointRows = (workspace: string) =>
  rig.db().query<{ id: string }>('SELECT id FROM webhook_endpoints WHERE workspace_id = $1', [workspace]);

beforeAll(async () => {
  owner = await rig.user('owner');
  editor = await rig.user('editor');
  stranger = await rig.user('stranger');
  ws = await rig.workspace(owner);
  await rig.addMember(owner, ws, editor, 'editor');
  strangerWs = await rig.workspace(stranger);
  receiver = await startReceiver();
}, 60_000);

afterAll(async () => {
  await receiver?.close();
});

describe('an admin through the webhook tools', () => {
  let webhookId: string;
  let secret: string;
  let deliveryId: string;

  it('creates an endpoint and gets its signing secret once, with what to do with it', async () => {
    const { output: out, text } = await output(ws, 'create_webhook', owner.auth, {
      url: receiver.url,
      event_types: ['webhook.test', 'member.*'],
      description: 'local receiver',
      headers: { 'X-Receiver-Token': HEADER_VALUE },
    });
    expect(out.webhook).toMatchObject({
      url: receiver.url,
      description: 'local receiver',
      event_types: ['webhook.test', 'member.*'],
      header_names: ['X-Receiver-Token'],
      enabled: true,
    });
    expect(out.secret).toMatch(/^whsec_/);
    expect(out.secret_note).toMatch(/shown only this once/);
    expect(text).toContain(out.secret);
    expect(JSON.stringify(out) + text).not.toContain(HEADER_VALUE);
    webhookId = out.webhook.id;
    secret = out.secret;
  });

  it('lists it with its header names, never the secret or a header value', async () => {
    const { output: out, text } = await output(ws, 'list_webhooks', owner.auth);
    expect(out.webhooks).toEqual([
      expect.objectContaining({ id: webhookId, header_names: ['X-Receiver-Token'], enabled: true }),
    ]);
    const all = JSON.stringify(out) + text;
    expect(all).not.toContain(secret);
    expect(all).not.toContain(HEADER_VALUE);
  });

  it('sends a test event that the receiver gets signed, with the custom header, and the log shows delivered', async () => {
    const { output: sent } = await output(ws, 'send_test_webhook', owner.auth, { webhook_id: webhookId });
    expect(sent).toEqual({ event_id: expect.stringMatching(/^evt_/), queued: 1 });

    const delivery = await until(async () => receiver.received.at(0), 'the test delivery');
    const payload = new Webhook(secret).verify(delivery.body, {
      'webhook-id': delivery.id,
      'webhook-timestamp': delivery.timestamp,
      'webhook-signature': delivery.signature,
    });
    expect(payload).toMatchObject({
      id: sent.event_id,
      type: 'webhook.test',
      workspace_id: ws,
      actor: { type: 'user', id: owner.id },
      data: { message: expect.any(String) },
    });
    expect(delivery.headers['x-receiver-token']).toBe(HEADER_VALUE);

    const listed = await logged(webhookId, 1);
    expect(listed).toEqual([
      expect.objectContaining({
        id: delivery.id,
        event_id: sent.event_id,
        event_type: 'webhook.test',
        state: 'delivered',
        attempt_count: 1,
        last_status: 200,
      }),
    ]);
    deliveryId = delivery.id;
  });

  it('replays a delivery: the receiver gets the same webhook-id again', async () => {
    const { output: out } = await output(ws, 'replay_webhook_delivery', owner.auth, {
      delivery_id: deliveryId,
    });
    expect(out.delivery).toMatchObject({ id: deliveryId, state: 'pending' });
    const again = await until(
      async () => (receiver.received.length >= 2 ? receiver.received[1] : undefined),
      'the replay',
    );
    expect(again.id).toBe(deliveryId);
    // Recorded before the next step: a disable while an attempt is being recorded can deadlock
    // on PostgreSQL (endpoint, then messages, against the worker's messages, then endpoint).
    expect(await logged(webhookId, 2)).toEqual([
      expect.objectContaining({ id: deliveryId, state: 'delivered', attempt_count: 2 }),
    ]);
  });

  it('lists the event types with their data fields', async () => {
    const { output: out } = await output(ws, 'list_webhook_event_types', owner.auth);
    const byType = new Map(out.event_types.map((t: { type: string }) => [t.type, t]));
    expect(byType.get('record.created')).toMatchObject({ data_fields: ['base_id', 'table_id', 'record'] });
    expect(byType.get('webhook.test')).toMatchObject({ data_fields: ['message'] });
  });

  it('turns it off; a test event is then refused with a next step', async () => {
    const { output: out } = await output(ws, 'update_webhook', owner.auth, {
      webhook_id: webhookId,
      enabled: false,
    });
    expect(out.webhook).toMatchObject({ enabled: false, disabled_reason: 'manual' });
    const refused = await tool(ws, 'send_test_webhook', owner.auth, { webhook_id: webhookId });
    expect({ status: refused.statusCode, code: refused.json().code }).toEqual({
      status: 400,
      code: 'TOOL_INVALID_INPUT',
    });
    expect(refused.json().platform_code).toBe('WEBHOOK_DISABLED');
    expect(refused.json().detail).toMatch(/enabled: true/);
  });

  it('keeps the custom header values and the secret out of the audit trail and list_audit_events', async () => {
    const rows = await rig
      .db()
      .query<{ details: unknown }>(
        "SELECT details FROM audit_events WHERE workspace_id = $1 AND target_id = 'create_webhook' ORDER BY seq",
        [ws],
      );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]?.details).toMatchObject({
      arguments: { headers: { 'X-Receiver-Token': '[redacted]' } },
    });
    const { output: audit, text } = await output(ws, 'list_audit_events', owner.auth, { limit: 100 });
    const all = JSON.stringify(audit) + text;
    expect(all).toContain('webhook.create');
    expect(all).not.toContain(HEADER_VALUE);
    expect(all).not.toContain(secret);
  });

  it('an id from another workspace is not found there, and the message says where ids come from', async () => {
    const outcome = await runAs(stranger, strangerWs, 'update_webhook', {
      webhook_id: webhookId,
      description: 'taken over',
    });
    expect(outcome).toMatchObject({
      ok: false,
      code: 'TOOL_INVALID_INPUT',
      details: { platformCode: 'WEBHOOK_NOT_FOUND' },
    });
    if (!outcome.ok) expect(outcome.message).toMatch(/list_webhooks/);
  });

  it('deletes it; it is gone from the list', async () => {
    const { output: out } = await output(ws, 'delete_webhook', owner.auth, { webhook_id: webhookId });
    expect(out).toEqual({ deleted: webhookId });
    expect((await output(ws, 'list_webhooks', owner.auth)).output.webhooks).toEqual([]);
    expect(await endpointRows(ws)).toEqual([]);
  });
});

describe('refusals a model can act on', () => {
  it('a URL to an address not allow-listed is an error result saying deliveries go to public addresses', async () => {
    const input = { url: 'http://127.0.0.2:8999/hooks', event_types: ['*'] };
    const outcome = await runAs(owner, ws, 'create_webhook', input);
    expect(outcome).toMatchObject({
      ok: false,
      code: 'TOOL_INVALID_INPUT',
      details: { platformCode: 'WEBHOOK_URL_FORBIDDEN' },
    });
    if (!outcome.ok) expect(outcome.message).toMatch(/public addresses/);

    const metadata = await tool(ws, 'create_webhook', owner.auth, {
      url: 'http://169.254.169.254/latest/meta-data',
      event_types: ['*'],
    });
    expect({
      status: metadata.statusCode,
      code: metadata.json().code,
      platform: metadata.json().platform_code,
    }).toEqual({
      status: 400,
      code: 'TOOL_INVALID_INPUT',
      platform: 'WEBHOOK_URL_FORBIDDEN',
    });
    expect(await endpointRows(ws)).toEqual([]);
  });

  it('an unknown event type points to list_webhook_event_types', async () => {
    const outcome = await runAs(owner, ws, 'create_webhook', {
      url: receiver.url,
      event_types: ['record.creatd'],
    });
    expect(outcome).toMatchObject({
      ok: false,
      code: 'TOOL_INVALID_INPUT',
      details: { platformCode: 'WEBHOOK_EVENT_TYPE_UNKNOWN' },
    });
    if (!outcome.ok) expect(outcome.message).toMatch(/"record\.creatd".*list_webhook_event_types/);
  });
});

describe('an editor', () => {
  it('is not listed the webhook tools', async () => {
    const listed = await rig.call('GET', `/v1/workspaces/${ws}/tools`, { auth: editor.auth });
    expect(listed.statusCode).toBe(200);
    const names = listed.json().tools.map((t: { name: string }) => t.name);
    expect(names).toContain('list_records');
    expect(names.filter((name: string) => WEBHOOK_TOOLS.includes(name))).toEqual([]);

    const asOwner = await rig.call('GET', `/v1/workspaces/${ws}/tools`, { auth: owner.auth });
    expect(asOwner.json().tools.map((t: { name: string }) => t.name)).toEqual(
      expect.arrayContaining(WEBHOOK_TOOLS),
    );
  });

  it('calling one anyway is TOOL_NOT_ALLOWED (runTool) or not found (REST), and nothing is made', async () => {
    const input = { url: receiver.url, event_types: ['*'] };
    const outcome = await runAs(editor, ws, 'create_webhook', input);
    expect(outcome).toMatchObject({
      ok: false,
      code: 'TOOL_NOT_ALLOWED',
      details: { requiredRole: 'admin' },
    });
    const overRest = await tool(ws, 'create_webhook', editor.auth, input);
    expect({ status: overRest.statusCode, code: overRest.json().code }).toEqual({
      status: 404,
      code: 'TOOL_NOT_FOUND',
    });
    expect(await endpointRows(ws)).toEqual([]);
  });
});
