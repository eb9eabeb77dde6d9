import { randomUUID } from 'node:crypto';
import type { GatewayEngine } from '../engine.ts';
import { GatewayError } from '../errors.ts';
import { type RunningGatewayServer, startGatewayServer } from '../proxy/server.ts';
import type { GatewayRequest } from '../request.ts';

/** What the proxy saw go wrong for one request: Airtable's answer, or an error of the gateway's own. */
export type ObservedFailure =
  | { kind: 'answer'; status: number; body: string }
  | { kind: 'error'; error: GatewayError };

/**
 * The proxy that airtable.js talks to. Started on first use when the client owns it; its
 * engine is wrapped so the client can read, by request id, the exact answer behind each
 * airtable.js rejection (airtable.js drops Airtable's error type for 401, 403, 429, 500
 * and 503, and the gateway's own error codes with it).
 */
export interface ProxyEndpoint {
  url(): Promise<string>;
  /** Throws GATEWAY_INVALID_REQUEST once `close()` was called. */
  assertOpen(): void;
  /** A fresh request id to send as `x-request-id`. */
  requestId(): string;
  /** The failure observed for this request id, removed once read; undefined when none or not observing. */
  takeFailure(requestId: string): ObservedFailure | undefined;
  close(): Promise<void>;
}

const REQUEST_ID_PREFIX = 'airsuite-client-';
/** Failures nobody collected (a call abandoned mid-flight) are dropped beyond this many. */
const MAX_PENDING_FAILURES = 1_000;

function closedError(): GatewayError {
  return new GatewayError('GATEWAY_INVALID_REQUEST', { message: 'This Airtable gateway client is closed' });
}

/** An endpoint over a proxy someone else runs: nothing to start, nothing observed. */
export function externalProxy(proxyUrl: string): ProxyEndpoint {
  const url = proxyUrl.replace(/\/+$/, '');
  let closed = false;
  const assertOpen = () => {
    if (closed) throw closedError();
  };
  return {
    url: async () => {
      assertOpen();
      return url;
    },
    assertOpen,
    requestId: () => `${REQUEST_ID_PREFIX}${randomUUID()}`,
    takeFailure: () => undefined,
    close: async () => {
      closed = true;
    },
  };
}

/** A loopback proxy over `engine`, started lazily (once) on 127.0.0.1 and stopped by `close()`. */
export function loopbackProxy(engine: GatewayEngine): ProxyEndpoint {
  const failures = new Map<string, ObservedFailure>();
  let server: Promise<RunningGatewayServer> | undefined;
  let closed = false;

  const remember = (requestId: string | undefined, failure: ObservedFailure) => {
    if (!requestId?.startsWith(REQUEST_ID_PREFIX)) return;
    if (failures.size >= MAX_PENDING_FAILURES) {
      const oldest = failures.keys().next().value;
      if (oldest !== undefined) failures.delete(oldest);
    }
    failures.set(requestId, failure);
  };

  const observed: GatewayEngine = {
    ...engine,
    async request(request: GatewayRequest) {
      try {
        const answer = await engine.request(request);
        if (answer.status >= 400)
          remember(request.requestId, { kind: 'answer', status: answer.status, body: answer.body });
        return answer;
      } catch (error) {
        if (error instanceof GatewayError) remember(request.requestId, { kind: 'error', error });
        throw error;
      }
    },
  };

  const assertOpen = () => {
    if (closed) throw closedError();
  };

  return {
    assertOpen,
    async url() {
      assertOpen();
      server ??= startGatewayServer({ engine: observed, port: 0, host: '127.0.0.1' });
      return (await server).url;
    },
    requestId: () => `${REQUEST_ID_PREFIX}${randomUUID()}`,
    takeFailure(requestId) {
      const failure = failures.get(requestId);
      failures.delete(requestId);
      return failure;
    },
    async close() {
      closed = true;
      const running = server;
      server = undefined;
      failures.clear();
      // A proxy that failed to start has nothing to stop.
      if (running)
        await running.then(
          (started) => started.close(),
          () => {},
        );
    },
  };
}

/**
 * One loopback proxy for many clients (say, one per Airtable connection of a platform): the
 * proxy is token-agnostic (airtable.js sends each client's token), so one server on
 * 127.0.0.1 serves them all. Each client holds a lease; closing a client ends its lease only.
 */
export interface SharedLoopback {
  lease(): ProxyEndpoint;
  /** Stops the server; every lease's later calls throw GATEWAY_INVALID_REQUEST. */
  close(): Promise<void>;
}

export function createSharedLoopback(engine: GatewayEngine): SharedLoopback {
  const shared = loopbackProxy(engine);
  return {
    lease() {
      let closed = false;
      const assertOpen = () => {
        if (closed) throw closedError();
        shared.assertOpen();
      };
      return {
        assertOpen,
        async url() {
          assertOpen();
          return shared.url();
        },
        requestId: shared.requestId,
        takeFailure: shared.takeFailure,
        async close() {
          closed = true;
        },
      };
    },
    close: () => shared.close(),
  };
}
