import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '../crypto/secret-box.ts';
import { openTestDatabase, type TestDatabase } from '../db/test-database.ts';
import { PlatformError } from '../errors.ts';
import type { WorkspaceAccess } from '../principal.ts';
import { createAuditLog } from '../services/audit-log.ts';
import { createWebhookEndpoints, type WebhookEndpoints } from './endpoints.ts';
import {
  describeEventTypes,
  EVENT_TYPES,
  matchesPatterns,
  unknownEventPatterns,
} from './events/catalogue.ts';
import { createOutbox, type EventInput } from './outbox.ts';

let test: TestDatabase;
let endpoints: WebhookEndpoints;
const admin: WorkspaceAccess = {
  principal: { kind: 'user', userId: 'usr_admin', email: 'admin@example.com', sessionId: 'ses_1' },
  workspaceId: 'wsp_outbox',
  workspaceName: 'Outbox',
  role: 'admin',
  workspaceCreatedAt: new Date(0).toISOString(),
  workspaceUpdatedAt: new Date(0).toISOString(),
};
const outbox = createOutbox();

const keyCreated = (name: string): EventInput<'api_key.created'> => ({
  workspaceId: admin.workspaceId,
  type: 'api_key.created',
  actor: { type: 'user', id: 'usr_admin', label: 'admin@example.com' },
  cause: { requestId: 'req-1' },
  data: { key_id: 'key_1', name, role: 'editor' },
});

const messagesOf = (endpointId: string) =>
  test.db.query<{ event_id: string; state: string }>(
    'SELECT event_id, state FROM webhook_messages WHERE endpoint_id = $1 ORDER BY id',
    [endpointId],
  );

beforeAll(async () => {
  test = await openTestDatabase();
  await test.db.query("INSERT INTO workspaces (id, name) VALUES ('wsp_outbox', 'Outbox')");
  endpoints = createWebhookEndpoints({
    db: test.db,
    audit: createAuditLog(test.db),
    secretBox: createSecretBox(randomBytes(32)),
    newSecret: () => `whsec_${randomBytes(24).toString('base64')}`,
    checkUrl: async () => {},
    now: () => new Date(),
  });
});

afterAll(async () => {
  await test?.close();
});

describe('the event catalogue', () => {
  it('lists every type with a JSON schema of its envelope', () => {
    const types = describeEventTypes();
    expect(types.map((t) => t.type)).toEqual(EVENT_TYPES);
    for (const required of [
      'record.created',
      'record.updated',
      'member.role_changed',
      'operation.interrupted',
    ])
      expect(EVENT_TYPES).toContain(required);
    const created = types.find((t) => t.type === 'record.created');
    expect(created?.schema).toMatchObject({
      type: 'object',
      required: expect.arrayContaining(['id', 'data', 'actor']),
    });
  });

  it('filters by exact type, prefix wildcard and *, and refuses patterns that match nothing', () => {
    expect(matchesPatterns('record.updated', ['record.*'])).toBe(true);
    expect(matchesPatterns('member.added', ['record.*'])).toBe(false);
    expect(matchesPatterns('member.added', ['*'])).toBe(true);
    expect(unknownEventPatterns(['record.*', 'member.added', 'recod.*', 'member.joined'])).toEqual([
      'recod.*',
      'member.joined',
    ]);
  });
});

describe('the outbox', () => {
  it('queues a message per matching enabled endpoint, in the transaction of the change', async () => {
    const keys = await endpoints.create(admin, {
      url: 'https://hooks.example.com/keys',
      eventTypes: ['api_key.*'],
    });
    const members = await endpoints.create(admin, {
      url: 'https://hooks.example.com/m',
      eventTypes: ['member.*'],
    });
    expect(keys.secret).toMatch(/^whsec_/);
    const [emitted] = await test.db.transaction((tx) => outbox.emit(tx, [keyCreated('ci')]));
    expect(emitted?.messages).toBe(1);
    expect(await messagesOf(keys.endpoint.id)).toEqual([{ event_id: emitted?.id, state: 'pending' }]);
    expect(await messagesOf(members.endpoint.id)).toEqual([]);
    const [event] = await test.db.query<{ payload: Record<string, unknown> }>(
      'SELECT payload FROM webhook_events WHERE id = $1',
      [emitted?.id],
    );
    expect(event?.payload).toMatchObject({
      id: emitted?.id,
      type: 'api_key.created',
      version: 1,
      workspace_id: 'wsp_outbox',
      actor: { type: 'user', id: 'usr_admin' },
      cause: { request_id: 'req-1' },
      data: { key_id: 'key_1', name: 'ci', role: 'editor' },
    });
  });

  it('leaves nothing when the change rolls back', async () => {
    const before = await test.db.query('SELECT id FROM webhook_events');
    await expect(
      test.db.transaction(async (tx) => {
        await outbox.emit(tx, [keyCreated('rolled back')]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await test.db.query('SELECT id FROM webhook_events')).toHaveLength(before.length);
  });

  it('queues nothing for a disabled endpoint', async () => {
    const off = await endpoints.create(admin, { url: 'https://hooks.example.com/off', eventTypes: ['*'] });
    await endpoints.update(admin, off.endpoint.id, { enabled: false });
    await test.db.transaction((tx) => outbox.emit(tx, [keyCreated('while off')]));
    expect(await messagesOf(off.endpoint.id)).toEqual([]);
    expect((await endpoints.get(admin, off.endpoint.id)).disabledReason).toBe('manual');
  });
});

describe('webhook endpoints', () => {
  it('never shows the secret again, nor custom header values', async () => {
    const { endpoint, secret } = await endpoints.create(admin, {
      url: 'https://hooks.example.com/h',
      eventTypes: ['*'],
      headers: { Authorization: 'Bearer receiver-secret' },
    });
    const shown = JSON.stringify(await endpoints.list(admin));
    expect(shown).not.toContain(secret);
    expect(shown).not.toContain('receiver-secret');
    expect(endpoint.headerNames).toEqual(['Authorization']);
  });

  it('refuses unknown event types, reserved headers, and people below admin', async () => {
    await expect(
      endpoints.create(admin, { url: 'https://h.example.com', eventTypes: ['recod.*'] }),
    ).rejects.toMatchObject({
      code: 'WEBHOOK_EVENT_TYPE_UNKNOWN',
    });
    await expect(
      endpoints.create(admin, {
        url: 'https://h.example.com',
        eventTypes: ['*'],
        headers: { 'webhook-id': 'x' },
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const editor = { ...admin, role: 'editor' as const };
    await expect(endpoints.list(editor)).rejects.toBeInstanceOf(PlatformError);
  });

  it('rotates the secret with an overlap in which the previous one still signs', async () => {
    const { endpoint, secret } = await endpoints.create(admin, {
      url: 'https://h.example.com/r',
      eventTypes: ['*'],
    });
    const rotated = await endpoints.rotateSecret(admin, endpoint.id, 3600);
    expect(rotated.secret).not.toBe(secret);
    expect(rotated.endpoint.previousSecretExpiresAt).toBeDefined();
  });

  it('answers WEBHOOK_NOT_FOUND for another id', async () => {
    await expect(endpoints.get(admin, 'whk_missing')).rejects.toMatchObject({ code: 'WEBHOOK_NOT_FOUND' });
  });
});
