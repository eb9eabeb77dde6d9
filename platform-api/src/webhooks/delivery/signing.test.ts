import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
  generateWebhookSecret,
  isWebhookSecret,
  signWebhook,
  WEBHOOK_SECRET_PREFIX,
  type WebhookSignatureHeaders,
} from './signing.ts';

const body = JSON.stringify({ type: 'member.added', data: { memberId: 'mem_1', note: 'héllo ✓' } });
const id = 'msg_2kz0abcdef';

/** What a receiver does: the reference `standardwebhooks` library, with its own 5-minute tolerance. */
function receiverAccepts(
  secret: string,
  headers: WebhookSignatureHeaders | Record<string, string>,
  payload = body,
): boolean {
  try {
    new Webhook(secret).verify(payload, { ...headers });
    return true;
  } catch {
    return false;
  }
}

describe('Standard Webhooks signing', () => {
  it('makes whsec_ secrets of 32 random bytes by default, and 24 to 64 on request', () => {
    const secret = generateWebhookSecret();
    expect(secret.startsWith(WEBHOOK_SECRET_PREFIX)).toBe(true);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
    expect(Buffer.from(generateWebhookSecret(24).slice(6), 'base64')).toHaveLength(24);
    expect(() => generateWebhookSecret(16)).toThrow(
      expect.objectContaining({ code: 'WEBHOOK_CONFIG_INVALID' }),
    );
    expect(isWebhookSecret(secret)).toBe(true);
    expect(isWebhookSecret('whsec_c2hvcnQ=')).toBe(false);
    expect(isWebhookSecret(secret.slice(6))).toBe(false);
  });

  it('sends webhook-id, the attempt time in whole seconds, and a v1 signature the receiver library accepts', () => {
    const secret = generateWebhookSecret();
    const at = new Date();
    const headers = signWebhook({ id, timestamp: at, body, secrets: [secret] });
    expect(headers['webhook-id']).toBe(id);
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(at.getTime() / 1000)));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(receiverAccepts(secret, headers)).toBe(true);
    // byte for byte what the reference library itself would send
    expect(headers['webhook-signature']).toBe(new Webhook(secret).sign(id, at, body));
  });

  it('signs with both secrets during a rotation, so a receiver holding either one accepts', () => {
    const current = generateWebhookSecret();
    const previous = generateWebhookSecret();
    const headers = signWebhook({ id, timestamp: new Date(), body, secrets: [current, previous] });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(receiverAccepts(current, headers)).toBe(true);
    expect(receiverAccepts(previous, headers)).toBe(true);
    expect(receiverAccepts(generateWebhookSecret(), headers)).toBe(false);
  });

  it('is refused by the receiver when the body, id or timestamp is changed', () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook({ id, timestamp: new Date(), body, secrets: [secret] });
    expect(receiverAccepts(secret, headers, body.replace('mem_1', 'mem_2'))).toBe(false);
    expect(receiverAccepts(secret, { ...headers, 'webhook-id': 'msg_other' })).toBe(false);
    const stale = signWebhook({ id, timestamp: new Date(Date.now() - 10 * 60_000), body, secrets: [secret] });
    expect(receiverAccepts(secret, stale)).toBe(false);
  });

  it('signs the exact bytes: a Buffer body and its UTF-8 string give the same signature', () => {
    const secret = generateWebhookSecret();
    const at = new Date();
    expect(signWebhook({ id, timestamp: at, body: Buffer.from(body), secrets: [secret] })).toEqual(
      signWebhook({ id, timestamp: at, body, secrets: [secret] }),
    );
  });

  it('throws for a malformed secret without repeating it, and for ids that would make the signed text ambiguous', () => {
    const bad = 'whsec_not*base64*at*all*but*long*enough*to*matter';
    const attempt = () =>
      signWebhook({ id, timestamp: new Date(), body, secrets: [generateWebhookSecret(), bad] });
    expect(attempt).toThrow(expect.objectContaining({ code: 'WEBHOOK_SECRET_INVALID' }));
    try {
      attempt();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(bad.slice(6));
      expect((error as Error).message).toContain('#2');
    }
    expect(() => signWebhook({ id, timestamp: new Date(), body, secrets: [] })).toThrow(
      expect.objectContaining({ code: 'WEBHOOK_SECRET_INVALID' }),
    );
    for (const badId of ['msg.1', '', 'msg 1', 'a'.repeat(257)]) {
      expect(() =>
        signWebhook({ id: badId, timestamp: new Date(), body, secrets: [generateWebhookSecret()] }),
      ).toThrow(expect.objectContaining({ code: 'WEBHOOK_MESSAGE_INVALID' }));
    }
  });
});
