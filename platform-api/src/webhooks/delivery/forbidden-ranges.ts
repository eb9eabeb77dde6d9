/**
 * Which IP addresses a webhook may never reach, and why, in words a person can act on.
 *
 * IPv4: everything not listed here is public. IPv6: only global unicast (2000::/3) can be
 * public, and the listed parts of it are refused; everything outside 2000::/3 is refused.
 * Addresses that carry an IPv4 address inside them (IPv4-mapped `::ffff:a.b.c.d`, NAT64
 * `64:ff9b::a.b.c.d`, 6to4 `2002:AABB:CCDD::`, Teredo's server and client) are judged by the
 * IPv4 address they carry, so `[::ffff:127.0.0.1]` is loopback like `127.0.0.1`.
 *
 * The ranges follow the IANA special-purpose registries and Svix's `NonLocalDnsResolver`;
 * ipaddr.js parses and matches (it knows every IPv4 and IPv6 notation), the table is ours so
 * the reasons are ours and stay put across library versions.
 */
import ipaddr from 'ipaddr.js';

export interface ForbiddenAddress {
  /** The range that matched, e.g. `127.0.0.0/8`. */
  range: string;
  /** What that range is, e.g. `loopback (this machine)`. */
  reason: string;
}

type Table<A> = ReadonlyArray<{ net: [A, number]; range: string; reason: string }>;

function table<A extends ipaddr.IPv4 | ipaddr.IPv6>(
  parse: (cidr: string) => [A, number],
  rows: ReadonlyArray<readonly [string, string]>,
): Table<A> {
  return rows.map(([range, reason]) => ({ net: parse(range), range, reason }));
}

const PRIVATE = 'a private network address (RFC 1918)';
const DOCUMENTATION = 'reserved for documentation examples';

// Order matters only for the words: the narrower, more telling range comes first.
const IPV4 = table(
  (cidr) => ipaddr.IPv4.parseCIDR(cidr),
  [
    ['0.0.0.0/8', 'the unspecified "this network" range (0.0.0.0 reaches this machine)'],
    ['10.0.0.0/8', PRIVATE],
    ['100.64.0.0/10', 'carrier-grade NAT shared space (RFC 6598), internal to a provider'],
    ['127.0.0.0/8', 'loopback (this machine)'],
    ['169.254.0.0/16', 'link-local, where cloud metadata services live (169.254.169.254)'],
    ['172.16.0.0/12', PRIVATE],
    ['192.0.0.0/24', 'reserved for IETF protocol assignments'],
    ['192.0.2.0/24', DOCUMENTATION],
    ['192.88.99.0/24', 'the retired 6to4 relay anycast range'],
    ['192.168.0.0/16', PRIVATE],
    ['198.18.0.0/15', 'reserved for network benchmarking'],
    ['198.51.100.0/24', DOCUMENTATION],
    ['203.0.113.0/24', DOCUMENTATION],
    ['224.0.0.0/4', 'multicast'],
    ['255.255.255.255/32', 'broadcast'],
    ['240.0.0.0/4', 'reserved (240.0.0.0/4, not routable)'],
  ],
);

const IPV6 = table(
  (cidr) => ipaddr.IPv6.parseCIDR(cidr),
  [
    ['::/128', 'unspecified (:: reaches this machine)'],
    ['::1/128', 'loopback (this machine)'],
    ['::/96', 'an IPv4-compatible address (deprecated, not routable)'],
    ['64:ff9b:1::/48', 'local-use NAT64 (RFC 8215), internal to a network'],
    ['100::/64', 'the discard-only range'],
    ['2001:db8::/32', DOCUMENTATION],
    ['2001::/23', 'reserved for IETF protocol assignments'],
    ['3fff::/20', DOCUMENTATION],
    ['fc00::/7', 'unique-local (the IPv6 private range)'],
    ['fe80::/10', 'link-local'],
    ['fec0::/10', 'site-local (deprecated, internal to a site)'],
    ['ff00::/8', 'multicast'],
  ],
);

const GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3');
const NAT64 = ipaddr.IPv6.parseCIDR('64:ff9b::/96');
const SIX_TO_FOUR = ipaddr.IPv6.parseCIDR('2002::/16');
const TEREDO = ipaddr.IPv6.parseCIDR('2001::/32');

function v4(high: number, low: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/** The IPv4 addresses an IPv6 address carries, with the name of the form that carries them. */
function embeddedIPv4(address: ipaddr.IPv6): { form: string; carried: ipaddr.IPv4[] } | undefined {
  const p = address.parts;
  if (address.isIPv4MappedAddress()) return { form: 'IPv4-mapped', carried: [address.toIPv4Address()] };
  if (address.match(NAT64)) return { form: 'NAT64', carried: [v4(p[6]!, p[7]!)] };
  if (address.match(SIX_TO_FOUR)) return { form: '6to4', carried: [v4(p[1]!, p[2]!)] };
  if (address.match(TEREDO)) {
    // 2001:0:<server>:<flags>:<port>:<client XOR ffff:ffff>
    return { form: 'Teredo', carried: [v4(p[2]!, p[3]!), v4(~p[6]! & 0xffff, ~p[7]! & 0xffff)] };
  }
  return undefined;
}

function forbiddenIPv4(address: ipaddr.IPv4): ForbiddenAddress | undefined {
  const row = IPV4.find(({ net }) => address.match(net));
  return row && { range: row.range, reason: row.reason };
}

/**
 * Why `address` (an IP literal in any notation ipaddr.js reads) is forbidden, or undefined
 * when it is a public address. A string that is no IP address at all is forbidden too.
 */
export function forbiddenAddress(address: string): ForbiddenAddress | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return { range: address, reason: 'not an IP address' };
  }
  if (parsed.kind() === 'ipv4') return forbiddenIPv4(parsed as ipaddr.IPv4);
  const v6 = parsed as ipaddr.IPv6;
  const embedded = embeddedIPv4(v6);
  if (embedded) {
    for (const carried of embedded.carried) {
      const inner = forbiddenIPv4(carried);
      if (inner) {
        return {
          range: inner.range,
          reason: `${inner.reason}, reached through its ${embedded.form} form (${carried.toString()})`,
        };
      }
    }
    return undefined;
  }
  const row = IPV6.find(({ net }) => v6.match(net));
  if (row) return { range: row.range, reason: row.reason };
  if (!v6.match(GLOBAL_UNICAST))
    return { range: '2000::/3', reason: 'not a global unicast address (outside 2000::/3)' };
  return undefined;
}

/** The address in its usual text form, with an IPv4-mapped IPv6 address given as the IPv4 address it maps. */
export function canonicalAddress(address: string): { address: string; family: 4 | 6 } {
  const parsed = ipaddr.process(address);
  return { address: parsed.toString(), family: parsed.kind() === 'ipv4' ? 4 : 6 };
}

/** Parses an allow-list entry that is an address or a CIDR; undefined when it is neither (a hostname). */
export function parseNetwork(entry: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | undefined {
  try {
    if (entry.includes('/')) {
      const [net, bits] = ipaddr.parseCIDR(entry);
      return net.kind() === 'ipv6' && (net as ipaddr.IPv6).isIPv4MappedAddress()
        ? [(net as ipaddr.IPv6).toIPv4Address(), Math.max(0, bits - 96)]
        : [net, bits];
    }
    if (!ipaddr.isValid(entry)) return undefined;
    const one = ipaddr.process(entry);
    return [one, one.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return undefined;
  }
}

/** Whether `address` lies in `network` (both canonical: IPv4-mapped addresses already as IPv4). */
export function inNetwork(address: string, network: readonly [ipaddr.IPv4 | ipaddr.IPv6, number]): boolean {
  const parsed = ipaddr.process(address);
  return parsed.kind() === network[0].kind() && parsed.match(network[0], network[1]);
}
