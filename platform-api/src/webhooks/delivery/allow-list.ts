import { WebhookDeliveryError } from './errors.ts';
import { inNetwork, parseNetwork } from './forbidden-ranges.ts';

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*$/;

type Network = NonNullable<ReturnType<typeof parseNetwork>>;

/** The hosts and networks deliveries may reach although they are not public. */
export interface AllowList {
  hosts: ReadonlySet<string>;
  networks: readonly Network[];
}

/**
 * Parsed once, when the policy is made, so a typo in the configuration fails the start
 * (WEBHOOK_CONFIG_INVALID) instead of silently allowing nothing, or the wrong thing.
 */
export function parseAllowList(entries: readonly string[]): AllowList {
  const hosts = new Set<string>();
  const networks: Network[] = [];
  for (const raw of entries) {
    const entry = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
    const network = parseNetwork(entry.replace(/^\[(.*)\]$/, '$1'));
    if (network) networks.push(network);
    else if (HOSTNAME.test(entry.replace(/\.$/, ''))) hosts.add(entry.replace(/\.$/, ''));
    else {
      throw new WebhookDeliveryError(
        'WEBHOOK_CONFIG_INVALID',
        `webhook allow-list entry "${String(raw)}" is neither a host name, an IP address nor a CIDR`,
      );
    }
  }
  return { hosts, networks };
}

/**
 * Which addresses of `hostname` the allow-list lets through: all of them when the host itself
 * is listed (a trailing dot is the same name), otherwise those in a listed network.
 */
export function allowedFor(list: AllowList, hostname: string): (address: string) => boolean {
  const hostAllowed = list.hosts.has(hostname.replace(/\.$/, ''));
  return (address) => hostAllowed || list.networks.some((network) => inNetwork(address, network));
}
