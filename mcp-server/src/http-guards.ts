import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]', '::1'];

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Constant-time check of `Authorization: Bearer <token>` (hashing first hides the length). */
export function hasBearerToken(req: IncomingMessage, expected: string): boolean {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return false;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) return false;
  return timingSafeEqual(sha256(match[1]), sha256(expected));
}

function hostnameOf(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1).toLowerCase();
  return (host.split(':')[0] ?? '').toLowerCase();
}

/** DNS-rebinding guard: the Host header must name this machine or a configured host. */
export function isHostAllowed(host: string | undefined, allowedHosts: readonly string[]): boolean {
  if (!host) return false;
  const lower = host.toLowerCase();
  const name = hostnameOf(lower);
  return (
    LOCAL_HOSTS.includes(name) ||
    allowedHosts.some((h) => h.toLowerCase() === lower || h.toLowerCase() === name)
  );
}

/** Browsers send Origin: it must be absent (non-browser clients), local, or configured. */
export function isOriginAllowed(origin: string | undefined, allowedOrigins: readonly string[]): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    LOCAL_HOSTS.includes(url.hostname.toLowerCase())
  ) {
    return true;
  }
  return allowedOrigins.some(
    (allowed) => allowed.replace(/\/+$/, '').toLowerCase() === url.origin.toLowerCase(),
  );
}
