import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { AirtableApiError } from './airtable-error.ts';

/** The names of this machine a local client sends as Host (the MCP server accepts the same). */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
/** Binding these faces every interface: they name no host a client would send. */
const WILDCARD_HOSTS = ['0.0.0.0', '::', '[::]', ''];

export interface RequestGuardSettings {
  /** The interface the emulator listens on: accepted as a Host unless it is a wildcard. */
  boundHost: string;
  /** Further Host names (or `name:port`) to accept, e.g. a docker-compose service name. */
  allowedHosts: readonly string[];
  /** Further browser origins to accept (`http://app.example:3000`). */
  allowedOrigins: readonly string[];
  /** When set, the admin API (health aside) needs `Authorization: Bearer <adminToken>`. */
  adminToken?: string;
}

function hostnameOf(host: string): string {
  const lower = host.toLowerCase();
  if (lower.startsWith('[')) return lower.slice(0, lower.indexOf(']') + 1);
  return lower.split(':')[0] ?? '';
}

function bracketed(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** DNS-rebinding guard: a page that rebinds its own name to 127.0.0.1 still sends that name as Host. */
export function isHostAllowed(host: string | undefined, settings: RequestGuardSettings): boolean {
  if (!host) return false;
  const lower = host.toLowerCase();
  const name = hostnameOf(lower);
  const bound = bracketed(settings.boundHost.toLowerCase());
  if (LOOPBACK_NAMES.includes(name) || (!WILDCARD_HOSTS.includes(bound) && name === bound)) return true;
  return settings.allowedHosts.some((h) => h.toLowerCase() === lower || h.toLowerCase() === name);
}

/** Browsers send Origin; other clients (airtable.js, curl, the gateway) send none. */
export function isOriginAllowed(origin: string | undefined, settings: RequestGuardSettings): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if ((url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_NAMES.includes(url.hostname))
    return true;
  return settings.allowedOrigins.some((o) => o.replace(/\/+$/, '').toLowerCase() === url.origin);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/** Constant-time check of `Authorization: Bearer <token>` (hashing first hides the length). */
function hasBearer(header: string | undefined, expected: string): boolean {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return Boolean(match?.[1]) && timingSafeEqual(sha256(match?.[1] as string), sha256(expected));
}

/**
 * Refuses a request whose Host or Origin is not this machine's (or configured), in Airtable's
 * error shape; undefined when it may go on. Every path is guarded: `/v0` and the admin API.
 */
export function refuseForeignRequest(
  headers: IncomingHttpHeaders,
  settings: RequestGuardSettings,
): AirtableApiError | undefined {
  if (!isHostAllowed(headers.host, settings))
    return new AirtableApiError(
      403,
      'EMULATOR_HOST_NOT_ALLOWED',
      `Host ${JSON.stringify(headers.host ?? '')} is not allowed (a guard against DNS rebinding): the emulator answers localhost, 127.0.0.1, [::1] and the address it listens on; allow others with EMULATOR_ALLOWED_HOSTS (comma-separated)`,
    );
  if (!isOriginAllowed(headers.origin, settings))
    return new AirtableApiError(
      403,
      'EMULATOR_ORIGIN_NOT_ALLOWED',
      `Origin ${JSON.stringify(headers.origin)} is not allowed: browsers may call the emulator from local pages only; allow others with EMULATOR_ALLOWED_ORIGINS (comma-separated)`,
    );
  return undefined;
}

/** With an admin token configured, an admin call without it is refused (health stays open for probes). */
export function refuseAdminCall(
  headers: IncomingHttpHeaders,
  settings: RequestGuardSettings,
): AirtableApiError | undefined {
  if (settings.adminToken === undefined || hasBearer(headers.authorization, settings.adminToken))
    return undefined;
  return new AirtableApiError(
    401,
    'EMULATOR_ADMIN_UNAUTHORIZED',
    'The admin API needs the admin token: send Authorization: Bearer <token>, the token the emulator was started with (EMULATOR_ADMIN_TOKEN or --admin-token)',
  );
}
