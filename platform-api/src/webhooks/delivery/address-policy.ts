/**
 * Where a webhook may be delivered (the SSRF guard). A URL passes when:
 *
 * - it is an absolute `http:` or `https:` URL of at most 2,048 characters, with no
 *   `user:password@` (credentials belong in a custom header such as `Authorization`);
 * - its port is not one browsers refuse to speak HTTP to (the WHATWG Fetch "bad ports": SMTP,
 *   SSH, IRC…, plus port 0), so a delivery cannot be turned against another protocol;
 * - EVERY address its host resolves to is public (see forbidden-ranges.ts): one private
 *   answer among public ones refuses the URL, as a name that answers both is an attack.
 *
 * WHATWG URL parsing turns `0x7f000001`, `2130706433`, `017700000001` and `127.1` into
 * `127.0.0.1` before we look, so every spelling of an address is judged as that address.
 *
 * The allow-list (hosts, addresses, CIDRs) lets development and tests reach `127.0.0.1`; it is
 * empty unless configured, and never has a default. The check returns the addresses it
 * approved: the sender connects only to those (no second DNS lookup, so no rebinding between
 * check and connect).
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { allowedFor, parseAllowList } from './allow-list.ts';
import type { WebhookUrlRefusalCode } from './errors.ts';
import { canonicalAddress, forbiddenAddress } from './forbidden-ranges.ts';

export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** WHATWG Fetch's bad ports (https://fetch.spec.whatwg.org/#port-blocking), and 0. */
export const FORBIDDEN_PORTS: ReadonlySet<number> = new Set([
  0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104,
  109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515,
  526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049,
  3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a host name resolves to (the system resolver by default; specs inject their own). */
export type ResolveHost = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** `dns.lookup(all: true)`: what the operating system would connect to (hosts file, search domains). */
export const resolveWithSystemDns: ResolveHost = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({
    address,
    family: family === 6 ? 6 : 4,
  }));

export interface AddressPolicyOptions {
  /**
   * Hosts (`localhost`, exact names), addresses (`127.0.0.1`, `::1`) or CIDRs (`10.1.0.0/16`)
   * deliveries may reach although they are not public. Empty by default: for development and
   * tests only, never in a shared deployment.
   */
  allow?: readonly string[];
  /** Resolves host names; default the system resolver (`dns.lookup`). */
  resolve?: ResolveHost;
}

/** A URL that passed, with the only addresses a delivery to it may connect to. */
export interface WebhookTarget {
  url: URL;
  /** The host as TLS and `Host:` see it, without IPv6 brackets. */
  hostname: string;
  port: number;
  secure: boolean;
  /** The approved addresses, in resolver order (IPv4-mapped IPv6 given as IPv4); never empty. */
  addresses: readonly ResolvedAddress[];
}

export interface UrlRefusal {
  code: WebhookUrlRefusalCode;
  /** What is wrong and what to do, for a person. */
  message: string;
  /** For WEBHOOK_URL_FORBIDDEN_ADDRESS: the address refused, its range and what the range is. */
  address?: string;
  range?: string;
  reason?: string;
}

export type UrlCheck = { ok: true; target: WebhookTarget } | { ok: false; refusal: UrlRefusal };

export interface AddressPolicy {
  /** Checks `url` and resolves its host; never throws (DNS failures are a `WEBHOOK_DNS_FAILED` refusal). */
  check(url: string): Promise<UrlCheck>;
}

const ALLOW_HINT =
  'webhooks go only to public internet addresses (for local development, add the host or address to the webhook allow-list)';

type Refused = Extract<UrlCheck, { ok: false }>;

const refuse = (code: WebhookUrlRefusalCode, message: string, extra: Partial<UrlRefusal> = {}): Refused => ({
  ok: false,
  refusal: { code, message, ...extra },
});

/** What a URL's text alone decides: everything but the addresses of its host. */
type UrlParts = Omit<WebhookTarget, 'addresses'>;

/** The rules that need no DNS: length, scheme, no credentials, no other protocol's port, a host. */
function parseWebhookUrl(input: string): UrlParts | Refused {
  if (typeof input !== 'string' || input.length > MAX_WEBHOOK_URL_LENGTH) {
    return refuse(
      'WEBHOOK_URL_INVALID',
      `a webhook URL is text of at most ${MAX_WEBHOOK_URL_LENGTH} characters`,
    );
  }
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return refuse('WEBHOOK_URL_INVALID', 'the webhook URL is not a valid absolute URL (https://host/path)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return refuse('WEBHOOK_URL_INVALID', `webhook URLs use https: (or http:), not ${url.protocol}`);
  }
  if (url.username || url.password) {
    return refuse(
      'WEBHOOK_URL_INVALID',
      'the webhook URL may not carry a user name or password (user:pass@); send credentials in a custom header such as Authorization',
    );
  }
  const secure = url.protocol === 'https:';
  const port = url.port ? Number(url.port) : secure ? 443 : 80;
  if (FORBIDDEN_PORTS.has(port)) {
    return refuse(
      'WEBHOOK_URL_FORBIDDEN_PORT',
      `port ${port} belongs to another protocol (mail, SSH, DNS…) and is refused for webhooks; use 443, 80 or a port above 1024 not on the WHATWG bad-port list`,
    );
  }
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!hostname) return refuse('WEBHOOK_URL_INVALID', 'the webhook URL has no host');
  return { url, hostname, port, secure };
}

/** A host name's addresses; a failed or empty answer is the user's to fix, so a refusal, not a throw. */
async function resolveHostname(
  resolve: ResolveHost,
  hostname: string,
): Promise<readonly ResolvedAddress[] | Refused> {
  let answers: readonly ResolvedAddress[];
  try {
    answers = await resolve(hostname);
  } catch (error) {
    const code = (error as { code?: unknown })?.code;
    return refuse(
      'WEBHOOK_DNS_FAILED',
      `the host "${hostname}" could not be resolved${typeof code === 'string' ? ` (${code})` : ''}; check the name`,
    );
  }
  if (answers.length === 0) {
    return refuse('WEBHOOK_DNS_FAILED', `the host "${hostname}" resolves to no address; check the name`);
  }
  return answers;
}

/**
 * The answers a delivery may connect to, canonical and without repeats, or the refusal of the
 * first forbidden one: a single private answer among public ones refuses the whole URL.
 */
function approveAddresses(
  answers: readonly ResolvedAddress[],
  host: { hostname: string; literal: boolean; allowed: (address: string) => boolean },
): ResolvedAddress[] | Refused {
  const { hostname, literal } = host;
  const addresses: ResolvedAddress[] = [];
  for (const answer of answers) {
    if (isIP(answer.address) === 0) {
      return refuse(
        'WEBHOOK_DNS_FAILED',
        `the resolver answered "${answer.address}" for "${hostname}", not an IP address`,
      );
    }
    const canonical = canonicalAddress(answer.address);
    if (addresses.some((a) => a.address === canonical.address)) continue;
    const forbidden = host.allowed(canonical.address) ? undefined : forbiddenAddress(canonical.address);
    if (forbidden) {
      const subject = literal ? canonical.address : `"${hostname}" resolves to ${canonical.address}, which`;
      return refuse(
        'WEBHOOK_URL_FORBIDDEN_ADDRESS',
        `${subject} is in ${forbidden.range}: ${forbidden.reason}; ${ALLOW_HINT}`,
        { address: canonical.address, ...forbidden },
      );
    }
    addresses.push(canonical);
  }
  return addresses;
}

/** An SSRF policy: `allow` parsed and checked once, here (a bad entry throws WEBHOOK_CONFIG_INVALID). */
export function createAddressPolicy(options: AddressPolicyOptions = {}): AddressPolicy {
  const allowList = parseAllowList(options.allow ?? []);
  const resolve = options.resolve ?? resolveWithSystemDns;

  async function check(input: string): Promise<UrlCheck> {
    const parts = parseWebhookUrl(input);
    if ('refusal' in parts) return parts;
    const { url, hostname, port, secure } = parts;
    const literal = isIP(hostname) !== 0;
    const answers = literal ? [canonicalAddress(hostname)] : await resolveHostname(resolve, hostname);
    if ('refusal' in answers) return answers;
    const addresses = approveAddresses(answers, {
      hostname,
      literal,
      allowed: allowedFor(allowList, hostname),
    });
    if ('refusal' in addresses) return addresses;
    return { ok: true, target: { url, hostname, port, secure, addresses } };
  }

  return { check };
}
