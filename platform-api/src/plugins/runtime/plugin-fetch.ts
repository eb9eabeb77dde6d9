import type { AddressPolicy } from '../../webhooks/delivery/address-policy.ts';
import { createPinnedAgents, exchange } from '../../webhooks/delivery/pinned-request.ts';

/** The most of an answer a plugin's HTTP request reads; the rest is cut off. */
export const MAX_PLUGIN_HTTP_RESPONSE_BYTES = 1024 * 1024;
/** The longest a plugin's HTTP request may take, within its call's own time limit. */
export const PLUGIN_HTTP_TIMEOUT_MS = 10_000;

export interface PluginFetch {
  /** What Extism's http_request calls, once the manifest's hosts allowed the URL's host. */
  fetch: typeof fetch;
  close(): void;
}

function headersOf(init: RequestInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

function bodyOf(init: RequestInit | undefined): Buffer {
  const body = init?.body;
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (body instanceof ArrayBuffer) return Buffer.from(new Uint8Array(body));
  return Buffer.from(String(body));
}

/**
 * Plugins' outbound HTTP (Extism's http_request), held to the rules webhooks are: only
 * http(s), only to public addresses unless the deployment allow-lists one (a plugin allowed
 * `api.example.com` cannot reach 127.0.0.1, the metadata service or the LAN through a name
 * that resolves there), connections pinned to the checked addresses, no redirects followed,
 * no proxy, a bounded answer and time. The manifest's `permissions.network.hosts` decides
 * which hosts at all (Extism's allowedHosts); this decides where those names may lead.
 */
export function createPluginFetch(
  policy: AddressPolicy,
  onRefused: (url: string, reason: string) => void = () => {},
): PluginFetch {
  const agents = createPinnedAgents({ maxSocketsPerHost: 8, maxTotalSockets: 64 });
  const fetchThroughPolicy = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    const checked = await policy.check(url);
    if (!checked.ok) {
      onRefused(url, checked.refusal.message);
      throw new Error(`HTTP request refused (${checked.refusal.code}): ${checked.refusal.message}`);
    }
    const result = await exchange({
      target: checked.target,
      method: (init?.method ?? 'GET').toUpperCase(),
      headers: headersOf(init),
      body: bodyOf(init),
      agents,
      signal: AbortSignal.timeout(PLUGIN_HTTP_TIMEOUT_MS),
      maxResponseBytes: MAX_PLUGIN_HTTP_RESPONSE_BYTES,
    });
    if (result.kind === 'failure') {
      throw new Error(
        `HTTP request to ${checked.target.hostname} failed: ${result.error.code ?? result.error.message}`,
      );
    }
    const { status, body } = result.response;
    // A status the Fetch API cannot carry (1xx, or nonsense) is reported as a bad gateway.
    return new Response(status === 204 || status === 304 ? null : body, {
      status: status >= 200 && status <= 599 ? status : 502,
    });
  };
  return { fetch: fetchThroughPolicy as typeof fetch, close: () => agents.destroy() };
}
