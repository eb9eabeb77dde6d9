/**
 * One HTTP request (a webhook's POST, a plugin's request) to addresses the policy approved,
 * and nowhere else.
 *
 * The request names the host (so `Host:`, TLS SNI and certificate checks use it) but its
 * `lookup` answers with the approved addresses only: Node never asks DNS again between the
 * check and the connect, so a name that rebinds to 127.0.0.1 after passing the check cannot
 * redirect the connection. Kept-alive sockets are pooled per host, port AND approved
 * addresses (the agents' `getName`), so a socket is reused only for the addresses it was
 * approved for. Redirects are never followed (node:http does not), proxies from the
 * environment are never used (node:http reads none), and at most `maxResponseBytes` of the
 * answer are read before the response is destroyed.
 */
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { ResolvedAddress, WebhookTarget } from './address-policy.ts';
import type { AttemptResponse } from './attempt-outcome.ts';

export interface AgentOptions {
  /** Sockets open at once to one host (and approved addresses). */
  maxSocketsPerHost: number;
  /** Sockets open at once in all. */
  maxTotalSockets: number;
  /** Extra certificate authorities to trust (a private CA); Node's bundled ones otherwise. */
  ca?: string | Buffer | Array<string | Buffer>;
}

export interface PinnedAgents {
  http: http.Agent;
  https: https.Agent;
  destroy(): void;
}

/** The request option that carries the approved addresses into the agents' pool key. */
interface PinnedOptions {
  webhookPin?: string;
}

class PinnedHttpAgent extends http.Agent {
  override getName(options?: http.ClientRequestArgs & PinnedOptions): string {
    return `${super.getName(options)}|${options?.webhookPin ?? ''}`;
  }
}

class PinnedHttpsAgent extends https.Agent {
  override getName(options?: https.RequestOptions & PinnedOptions): string {
    return `${super.getName(options)}|${options?.webhookPin ?? ''}`;
  }
}

/** Keep-alive agents for a sender: bounded per host and in all; idle sockets close after 30 s. */
export function createPinnedAgents(options: AgentOptions): PinnedAgents {
  const common = {
    keepAlive: true,
    maxSockets: options.maxSocketsPerHost,
    maxTotalSockets: options.maxTotalSockets,
    // As many idle as may be busy: a burst that ends must not close sockets the next one reopens.
    maxFreeSockets: options.maxSocketsPerHost,
    timeout: 30_000,
    scheduling: 'lifo' as const,
  };
  const httpAgent = new PinnedHttpAgent(common);
  const httpsAgent = new PinnedHttpsAgent({ ...common, ...(options.ca ? { ca: options.ca } : {}) });
  return {
    http: httpAgent,
    https: httpsAgent,
    destroy() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (hostname, options, callback) => {
    const family = options.family === 4 || options.family === 6 ? options.family : undefined;
    const usable = family ? addresses.filter((a) => a.family === family) : addresses;
    if (usable.length === 0) {
      const error: NodeJS.ErrnoException = new Error(`no approved IPv${family} address for ${hostname}`);
      error.code = 'ENOTFOUND';
      callback(error, '', 0);
    } else if (options.all)
      callback(
        null,
        usable.map((a) => ({ address: a.address, family: a.family })),
      );
    else callback(null, usable[0]!.address, usable[0]!.family);
  };
}

export interface ExchangeInput {
  target: WebhookTarget;
  /** Default POST (a webhook delivery); plugins' HTTP requests name theirs. */
  method?: string;
  headers: Record<string, string>;
  body: Buffer;
  agents: PinnedAgents;
  /** Aborts the exchange: before the answer it fails; during the body, the body read so far is kept. */
  signal: AbortSignal;
  maxResponseBytes: number;
}

export type ExchangeResult =
  | { kind: 'response'; response: AttemptResponse; remoteAddress?: string; reusedConnection: boolean }
  | { kind: 'failure'; error: NodeJS.ErrnoException; remoteAddress?: string; reusedConnection: boolean };

export function exchange(input: ExchangeInput): Promise<ExchangeResult> {
  const { target, agents, signal, maxResponseBytes } = input;
  const literal = isIP(target.hostname) !== 0;
  const options: https.RequestOptions & PinnedOptions = {
    method: input.method ?? 'POST',
    host: target.hostname,
    port: target.port,
    path: `${target.url.pathname}${target.url.search}`,
    headers: input.headers,
    agent: target.secure ? agents.https : agents.http,
    lookup: pinnedLookup(target.addresses),
    webhookPin: target.addresses.map((a) => a.address).join(','),
    signal,
    ...(target.secure && !literal ? { servername: target.hostname } : {}),
  };

  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: ExchangeResult) => {
      if (!settled) {
        settled = true;
        resolve(result);
      }
    };
    const request = (target.secure ? https : http).request(options);
    const reused = () => request.reusedSocket;

    request.on('error', (error: NodeJS.ErrnoException) =>
      settle({
        kind: 'failure',
        error,
        remoteAddress: request.socket?.remoteAddress,
        reusedConnection: reused(),
      }),
    );
    request.on('response', (res) => {
      const remoteAddress = res.socket?.remoteAddress;
      const chunks: Buffer[] = [];
      let kept = 0;
      let truncated = false;
      const finish = () =>
        settle({
          kind: 'response',
          response: {
            status: res.statusCode ?? 0,
            headers: res.headers as Record<string, string | string[]>,
            body: Buffer.concat(chunks).toString('utf8'),
            bodyTruncated: truncated || !res.complete,
          },
          remoteAddress,
          reusedConnection: reused(),
        });
      res.on('data', (chunk: Buffer) => {
        const room = maxResponseBytes - kept;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          kept = maxResponseBytes;
          truncated = true;
          res.destroy();
          finish();
          return;
        }
        chunks.push(chunk);
        kept += chunk.length;
      });
      res.on('error', () => {}); // an abort mid-body; 'close' reports what was read
      res.on('close', finish);
    });
    request.end(input.body);
  });
}
