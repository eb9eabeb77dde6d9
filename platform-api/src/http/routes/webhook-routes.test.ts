import { setTimeout as sleep } from 'node:timers/promises';
import type { LightMyRequestResponse } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RigUser, usePlatformRig } from '../../testing/platform-rig.ts';
import { type ReceivedDelivery, type Receiver, startReceiver } from '../../webhooks/testing/receiver.ts';

/**
 * The webhook REST API through the real app and database: endpoints (secrets shown once, header
 * values never), the URL policy, the event catalogue, and test events delivered to a real local
 * receiver by the platform's own worker, signed so the `standardwebhooks` verifier accepts them.
 */

type Auth = { authorization: string };

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
    await sleep(25);
  }
}

const problem = (response: LightMyRequestResponse) => ({
  status: response.statusCode,
  code: response.json().code,
});

const verify = (secret: string, delivery: ReceivedDelivery) =>
  new Webhook(secret).verify(delivery.body, {
    'webhook-id': delivery.id,
    'webhook-timestamp': delivery.timestamp,
    'webhook-signature': delivery.signature,
  }) as { id: string; type: string; workspace_id: string; data: Record<string, unknown> };

describe('webhooks over REST, delivering to a local receiver', () => {
  // Two attempts, 50 ms apart, then a dead letter: replays are quick to reach.
  const rig = usePlatformRig({
    webhooks: { allow: ['127.0.0.1'], retry: { delaysMs: [0, 50], jitter: 0 } },
  });
  let owner: RigUser;
  let editor: RigUser;
  let ws: string;
  let receiver: Receiver;

  const base = () => `/v1/workspaces/${ws}/webhooks`;
  const create = (body: Record<string, unknown>, auth: Auth = owner.auth) =>
    rig.call('POST', base(), { auth, body });
  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    auth: Auth = owner.auth,
  ) => rig.call(method, path, { auth, ...(body !== undefined ? { body } : {}) });

  /** A fresh endpoint at the receiver: its id and secret. */
  async function endpoint(extra: Record<string, unknown> = {}) {
    const created = await create({ url: receiver.url, event_types: ['webhook.test'], ...extra });
    expect({ status: created.statusCode, body: created.body }).toMatchObject({ status: 201 });
    return created.json() as { id: string; secret: string; header_names: string[] };
  }

  /** Sends a test event to the endpoint and waits until the receiver has it. */
  async function testEvent(webhookId: string) {
    const sent = await call('POST', `${base()}/${webhookId}/test`);
    expect({ status: sent.statusCode, body: sent.json() }).toMatchObject({
      status: 202,
      body: { event_id: expect.stringMatching(/^evt_/), messages: 1 },
    });
    const eventId: string = sent.json().event_id;
    const bodyId = (delivery: ReceivedDelivery) => (JSON.parse(delivery.body) as { id: string }).id;
    const delivery = await until(
      async () => receiver.received.find((d) => bodyId(d) === eventId),
      (found) => found !== undefined,
    );
    if (!delivery) throw new Error('unreachable');
    return { eventId, delivery };
  }

  const messages = async (webhookId: string, query = '') => {
    const listed = await call('GET', `${base()}/${webhookId}/messages${query}`);
    expect({ status: listed.statusCode, body: listed.body }).toMatchObject({ status: 200 });
    return listed.json() as {
      messages: { id: string; state: string; attempt_count: number; event_id: string }[];
      next_cursor?: string;
    };
  };

  beforeAll(async () => {
    owner = await rig.user('owner');
    editor = await rig.user('editor');
    ws = await rig.workspace(owner);
    await rig.addMember(owner, ws, editor, 'editor');
    receiver = await startReceiver();
  });
  afterAll(() => receiver?.close());

  it('lists the event catalogue to any signed-in caller, record.created with its schema', async () => {
    const stranger = await rig.user('stranger');
    const listed = await call('GET', '/v1/webhooks/event-types', undefined, stranger.auth);
    expect(listed.statusCode).toBe(200);
    const types = listed.json().event_types as {
      type: string;
      version: number;
      description: string;
      schema: { properties: Record<string, unknown> };
    }[];
    const created = types.find((t) => t.type === 'record.created');
    expect(created).toMatchObject({ version: 1, description: expect.any(String) });
    expect(Object.keys(created?.schema.properties ?? {})).toEqual(
      expect.arrayContaining(['id', 'type', 'timestamp', 'workspace_id', 'actor', 'data']),
    );
    expect(types.map((t) => t.type)).toContain('webhook.test');
    expect(problem(await rig.call('GET', '/v1/webhooks/event-types'))).toEqual({
      status: 401,
      code: 'AUTH_REQUIRED',
    });
  });

  it('shows the secret once: list, get and update never give it, nor the custom header values', async () => {
    const headerValue = 'Bearer receiver-credential-1234';
    const created = await create({
      url: receiver.url,
      event_types: ['record.*', 'member.added'],
      description: 'CRM sync',
      headers: { Authorization: headerValue },
    });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({
      id: expect.stringMatching(/^whk_/),
      url: receiver.url,
      description: 'CRM sync',
      event_types: ['record.*', 'member.added'],
      header_names: ['Authorization'],
      enabled: true,
      secret: expect.stringMatching(/^whsec_/),
    });
    expect(created.body).not.toContain(headerValue);
    const reads = [
      await call('GET', base()),
      await call('GET', `${base()}/${body.id}`),
      await call('PATCH', `${base()}/${body.id}`, { description: 'CRM sync (renamed)' }),
    ];
    for (const read of reads) {
      expect(read.statusCode).toBe(200);
      expect(read.body).not.toContain(body.secret);
      expect(read.body).not.toContain(headerValue);
      expect(read.body).not.toContain('"secret"');
    }
    const listed = reads[0]?.json().webhooks as { id: string; header_names: string[] }[];
    expect(listed.find((w) => w.id === body.id)).toMatchObject({ header_names: ['Authorization'] });
    expect(reads[2]?.json()).toMatchObject({ description: 'CRM sync (renamed)' });
  });

  it('refuses editors with FORBIDDEN, on every webhook route', async () => {
    const { id } = await endpoint();
    const attempts = [
      await create({ url: receiver.url, event_types: ['*'] }, editor.auth),
      await call('GET', base(), undefined, editor.auth),
      await call('GET', `${base()}/${id}`, undefined, editor.auth),
      await call('PATCH', `${base()}/${id}`, { enabled: false }, editor.auth),
      await call('POST', `${base()}/${id}/rotate-secret`, undefined, editor.auth),
      await call('POST', `${base()}/${id}/test`, undefined, editor.auth),
      await call('GET', `${base()}/${id}/messages`, undefined, editor.auth),
      await call('GET', `${base()}/${id}/health`, undefined, editor.auth),
      await call('DELETE', `${base()}/${id}`, undefined, editor.auth),
    ];
    for (const response of attempts) expect(problem(response)).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect((await call('GET', `${base()}/${id}`)).json()).toMatchObject({ enabled: true });
  });

  it('refuses an unknown event type, an ftp:// URL and bodies out of bounds, each with its code', async () => {
    const url = receiver.url;
    expect(problem(await create({ url, event_types: ['record.created', 'record.exploded'] }))).toEqual({
      status: 400,
      code: 'WEBHOOK_EVENT_TYPE_UNKNOWN',
    });
    expect(problem(await create({ url: 'ftp://127.0.0.1/hooks', event_types: ['*'] }))).toEqual({
      status: 400,
      code: 'WEBHOOK_URL_INVALID',
    });
    expect(problem(await create({ url: 'not-a-url', event_types: ['*'] }))).toEqual({
      status: 400,
      code: 'WEBHOOK_URL_INVALID',
    });
    const tooMany = Object.fromEntries(Array.from({ length: 21 }, (_, n) => [`x-h${n}`, 'v']));
    for (const body of [
      { url: `http://127.0.0.1/${'a'.repeat(2048)}`, event_types: ['*'] },
      { url, event_types: [] },
      { url, event_types: Array.from({ length: 51 }, () => 'record.created') },
      { url, event_types: ['*'], description: 'd'.repeat(501) },
      { url, event_types: ['*'], headers: tooMany },
      { url, event_types: ['*'], headers: { 'x-number': 7 } },
      { url: 'http://127.0.0.1/a b', event_types: ['*'] },
      { event_types: ['*'] },
    ]) {
      expect(problem(await create(body))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    }
    const { id } = await endpoint();
    expect(problem(await call('PATCH', `${base()}/${id}`, {}))).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    expect(problem(await call('PATCH', `${base()}/${id}`, { event_types: ['nope'] }))).toEqual({
      status: 400,
      code: 'WEBHOOK_EVENT_TYPE_UNKNOWN',
    });
    for (const overlap of [-1, 7 * 86_400 + 1, 1.5]) {
      const rotated = await call('POST', `${base()}/${id}/rotate-secret`, { overlap_seconds: overlap });
      expect(problem(rotated)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    }
    // Cursors not given out: garbage, a NUL in the id, a year PostgreSQL cannot hold.
    const forged = [
      'not-a-cursor',
      '2020-01-01T00:00:00.000Z|msg_a\u0000b',
      '-100000-01-01T00:00:00.000Z|msg_a',
    ];
    const cursors = forged.map((raw) => `?cursor=${Buffer.from(raw).toString('base64url')}`);
    for (const query of ['?limit=0', '?limit=101', '?state=lost', ...cursors]) {
      const listed = await call('GET', `${base()}/${id}/messages${query}`);
      expect(problem(listed)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    }
    const replayed = await call('POST', `${base()}/${id}/replay`, { since: 'yesterday' });
    expect(problem(replayed)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it("answers WEBHOOK_NOT_FOUND for another workspace's webhook, and WEBHOOK_MESSAGE_NOT_FOUND for its messages", async () => {
    const { id } = await endpoint();
    const { eventId } = await testEvent(id);
    const [message] = (await messages(id)).messages.filter((m) => m.event_id === eventId);
    const other = await rig.workspace(owner);
    const theirs = `/v1/workspaces/${other}/webhooks/${id}`;
    for (const [method, path, body] of [
      ['GET', theirs],
      ['PATCH', theirs, { enabled: false }],
      ['DELETE', theirs],
      ['POST', `${theirs}/rotate-secret`],
      ['POST', `${theirs}/test`],
      ['GET', `${theirs}/messages`],
      ['GET', `${theirs}/health`],
      ['POST', `${theirs}/replay`, { since: '2020-01-01T00:00:00Z' }],
    ] as const) {
      expect(problem(await call(method, path, body))).toEqual({ status: 404, code: 'WEBHOOK_NOT_FOUND' });
    }
    for (const path of [
      `/v1/workspaces/${other}/webhook-messages/${message?.id}`,
      `/v1/workspaces/${other}/webhook-messages/${message?.id}/replay`,
    ]) {
      const method = path.endsWith('/replay') ? 'POST' : 'GET';
      expect(problem(await call(method, path))).toEqual({ status: 404, code: 'WEBHOOK_MESSAGE_NOT_FOUND' });
    }
    expect((await call('GET', `${base()}/${id}`)).json()).toMatchObject({ id, enabled: true });
  });

  it('delivers a test event signed with the secret from create, then logs it delivered with its attempt', async () => {
    const { id, secret } = await endpoint({ headers: { 'x-receiver-token': 'let-me-in' } });
    const { eventId, delivery } = await testEvent(id);
    const payload = verify(secret, delivery);
    expect(payload).toMatchObject({ id: eventId, type: 'webhook.test', workspace_id: ws });
    expect(delivery.headers['x-receiver-token']).toBe('let-me-in');

    const [listed] = (
      await until(
        () => messages(id),
        (page) => page.messages.some((m) => m.state === 'delivered'),
      )
    ).messages;
    expect(listed).toMatchObject({
      id: delivery.id,
      endpoint_id: id,
      event_id: eventId,
      event_type: 'webhook.test',
      state: 'delivered',
      attempt_count: 1,
      last_status: 200,
    });
    const read = await call('GET', `/v1/workspaces/${ws}/webhook-messages/${delivery.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ id: delivery.id, state: 'delivered', attempt_count: 1 });
    expect(read.json().attempts).toEqual([
      expect.objectContaining({ attempt: 1, status: 200, outcome: 'success', response_body: 'ok' }),
    ]);
    const health = await call('GET', `${base()}/${id}/health`);
    expect(health.json()).toMatchObject({
      endpoint_id: id,
      success_rate: 1,
      attempts_last_day: 1,
      backlog: 0,
      dead_letters: 0,
    });
  });

  it('replays one message, and every failed one since an instant', async () => {
    const { id } = await endpoint();
    const first = await testEvent(id);
    const replayed = await call('POST', `/v1/workspaces/${ws}/webhook-messages/${first.delivery.id}/replay`);
    expect(replayed.statusCode).toBe(200);
    expect(replayed.json()).toMatchObject({ id: first.delivery.id, state: 'pending' });
    await until(
      async () => receiver.received.filter((d) => d.id === first.delivery.id).length,
      (n) => n === 2,
    );

    const since = new Date().toISOString();
    receiver.answerWith(() => ({ status: 500, body: 'broken' }));
    try {
      const failing = await testEvent(id);
      const dead = await until(
        () => call('GET', `/v1/workspaces/${ws}/webhook-messages/${failing.delivery.id}`),
        (response) => response.json().state === 'dead',
      );
      expect(dead.json().attempts.map((a: { status: number }) => a.status)).toEqual([500, 500]);
      expect((await messages(id, '?state=dead')).messages.map((m) => m.id)).toEqual([failing.delivery.id]);
      const health = await call('GET', `${base()}/${id}/health`);
      expect(health.json()).toMatchObject({ dead_letters: 1, last_error: expect.any(String) });
    } finally {
      receiver.answerWith(() => ({ status: 200 }));
    }
    const again = await call('POST', `${base()}/${id}/replay`, { since });
    expect({ status: again.statusCode, body: again.json() }).toEqual({ status: 200, body: { replayed: 1 } });
    const settled = await until(
      () => messages(id),
      (page) => page.messages.every((m) => m.state === 'delivered'),
    );
    expect(settled.messages).toHaveLength(2);
    expect(receiver.received.filter((d) => d.id === settled.messages[0]?.id)).toHaveLength(3);
  });

  it('pages the message log newest first with next_cursor', async () => {
    const { id } = await endpoint();
    const sent = [await testEvent(id), await testEvent(id), await testEvent(id)];
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await messages(id, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.messages.length).toBeLessThanOrEqual(2);
      seen.push(...page.messages.map((m) => m.event_id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(sent.map((s) => s.eventId).reverse());
  });

  it('disables with PATCH enabled:false: a test event is then WEBHOOK_DISABLED, until it is enabled again', async () => {
    const { id } = await endpoint();
    const disabled = await call('PATCH', `${base()}/${id}`, { enabled: false });
    expect(disabled.json()).toMatchObject({ enabled: false, disabled_reason: 'manual' });
    expect(problem(await call('POST', `${base()}/${id}/test`))).toEqual({
      status: 409,
      code: 'WEBHOOK_DISABLED',
    });
    const replay = await call('POST', `${base()}/${id}/replay`, { since: '2020-01-01T00:00:00Z' });
    expect(problem(replay)).toEqual({ status: 409, code: 'WEBHOOK_DISABLED' });
    const enabled = await call('PATCH', `${base()}/${id}`, { enabled: true });
    expect(enabled.json()).toMatchObject({ enabled: true });
    expect(enabled.json().disabled_reason).toBeUndefined();
    await testEvent(id);
  });

  it('rotates the secret: during the overlap a delivery verifies with the old and the new secret', async () => {
    const { id, secret: old } = await endpoint();
    const rotated = await call('POST', `${base()}/${id}/rotate-secret`, { overlap_seconds: 3600 });
    expect(rotated.statusCode).toBe(200);
    const fresh: string = rotated.json().secret;
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(old);
    expect(Date.parse(rotated.json().previous_secret_expires_at) - Date.now()).toBeGreaterThan(3500_000);
    const { eventId, delivery } = await testEvent(id);
    expect(verify(old, delivery).id).toBe(eventId);
    expect(verify(fresh, delivery).id).toBe(eventId);
    expect((await call('GET', `${base()}/${id}`)).body).not.toContain(fresh);

    // Without an overlap the old secret stops signing at once.
    const cut = await call('POST', `${base()}/${id}/rotate-secret`, { overlap_seconds: 0 });
    const latest: string = cut.json().secret;
    expect(cut.json().previous_secret_expires_at).toBeUndefined();
    const after = await testEvent(id);
    expect(verify(latest, after.delivery).id).toBe(after.eventId);
    expect(() => verify(fresh, after.delivery)).toThrow();
  });

  it('deletes an endpoint: 204, then WEBHOOK_NOT_FOUND', async () => {
    const { id } = await endpoint();
    const deleted = await call('DELETE', `${base()}/${id}`);
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect(problem(await call('GET', `${base()}/${id}`))).toEqual({ status: 404, code: 'WEBHOOK_NOT_FOUND' });
    expect(problem(await call('DELETE', `${base()}/${id}`))).toEqual({
      status: 404,
      code: 'WEBHOOK_NOT_FOUND',
    });
  });

  it('documents every webhook operation for people, under the webhooks tag', async () => {
    const doc = (await rig.call('GET', '/openapi.json')).json() as {
      paths: Record<string, Record<string, { operationId: string; tags: string[]; description?: string }>>;
    };
    const operations = Object.entries(doc.paths)
      .filter(([path]) => /\/webhook/.test(path))
      .flatMap(([, byMethod]) => Object.values(byMethod));
    expect(operations).toHaveLength(13);
    for (const operation of operations) {
      expect(operation.tags).toEqual(['webhooks']);
      expect(operation.operationId).toMatch(/^[a-z]+(?:[A-Z][a-z]+)+$/);
      expect(operation.description?.length ?? 0).toBeGreaterThan(20);
    }
  });
});

describe('webhook URLs without an allow-list', () => {
  const rig = usePlatformRig({ webhooks: { deliver: false } });
  let owner: RigUser;
  let ws: string;

  beforeAll(async () => {
    owner = await rig.user('owner');
    ws = await rig.workspace(owner);
  });

  it.each([
    'http://127.0.0.1:8080/hooks',
    'http://localhost:8080/hooks',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]:8080/hooks',
    'http://2130706433/hooks',
  ])('refuses %s with 422 WEBHOOK_URL_FORBIDDEN', async (url) => {
    const created = await rig.call('POST', `/v1/workspaces/${ws}/webhooks`, {
      auth: owner.auth,
      body: { url, event_types: ['*'] },
    });
    expect(problem(created)).toEqual({ status: 422, code: 'WEBHOOK_URL_FORBIDDEN' });
  });

  it('accepts a public address, and refuses a change of its URL to a private one', async () => {
    const created = await rig.call('POST', `/v1/workspaces/${ws}/webhooks`, {
      auth: owner.auth,
      body: { url: 'https://93.184.216.34/hooks', event_types: ['*'] },
    });
    expect(created.statusCode).toBe(201);
    const patched = await rig.call('PATCH', `/v1/workspaces/${ws}/webhooks/${created.json().id}`, {
      auth: owner.auth,
      body: { url: 'http://10.0.0.8/hooks' },
    });
    expect(problem(patched)).toEqual({ status: 422, code: 'WEBHOOK_URL_FORBIDDEN' });
  });
});
