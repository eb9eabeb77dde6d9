import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'hmac-sha256=';

/**
 * Does `header` (Airtable's `X-Airtable-Content-MAC: hmac-sha256=<hex>`) carry the HMAC-SHA256
 * of exactly these body bytes, keyed by the webhook's base64-decoded MAC secret? Compared in
 * constant time; anything malformed is simply false.
 */
export function verifyNotificationMac(
  macSecretBase64: string,
  body: Buffer,
  header: string | string[] | undefined,
): boolean {
  if (typeof header !== 'string' || !header.toLowerCase().startsWith(PREFIX)) return false;
  const hex = header.slice(PREFIX.length).trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return false;
  const expected = createHmac('sha256', Buffer.from(macSecretBase64, 'base64')).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(hex, 'hex'));
}
