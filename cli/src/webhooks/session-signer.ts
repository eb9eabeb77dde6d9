import { createHmac, randomBytes } from 'node:crypto';

/**
 * Standard Webhooks v1 signing for `webhooks listen`, as the receivers' libraries
 * (`standardwebhooks`, Svix's) verify it: a `whsec_` secret of 32 random bytes made fresh for
 * the session, and `v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`. The platform
 * signs its endpoints' deliveries the same way (its webhooks/delivery/signing.ts); the listen
 * spec holds this one to the receivers' verifier, so the two cannot drift apart unnoticed.
 */

export const SESSION_SECRET_PREFIX = 'whsec_';

export interface SignatureHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

export function newSessionSecret(random: (size: number) => Buffer = randomBytes): string {
  return SESSION_SECRET_PREFIX + random(32).toString('base64');
}

/** The three headers of one forward of `body` (the exact text sent). */
export function signForward(input: { id: string; at: Date; body: string; secret: string }): SignatureHeaders {
  const timestamp = String(Math.floor(input.at.getTime() / 1000));
  const key = Buffer.from(input.secret.slice(SESSION_SECRET_PREFIX.length), 'base64');
  const signature = createHmac('sha256', key)
    .update(`${input.id}.${timestamp}.${input.body}`, 'utf8')
    .digest('base64');
  return { 'webhook-id': input.id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}
