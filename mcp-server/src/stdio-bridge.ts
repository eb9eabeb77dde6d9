import type { Readable, Writable } from 'node:stream';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { closeOnce } from './close-once.ts';
import { McpConfigError } from './errors.ts';
import { McpRelayError, relayFetch } from './relay-failure.ts';
import type { RunningStdioServer } from './stdio.ts';

export const DEFAULT_PLATFORM_MCP_URL = 'http://127.0.0.1:8001/mcp';
/** How long answers to relayed requests may take once stdin has ended. */
const DRAIN_LIMIT_MS = 30_000;

export interface StdioBridgeOptions {
  /** The platform's Streamable HTTP endpoint (AIRSUITE_MCP_URL). */
  url: string;
  /** An `ask_live_…` API key (AIRSUITE_API_KEY): the platform decides workspace, role and connection. */
  apiKey: string;
  stdin?: Readable;
  stdout?: Writable;
  stderr?: (line: string) => void;
  fetch?: typeof fetch;
}

export interface RunningStdioBridge extends RunningStdioServer {
  /** Why the relay ended by itself (the platform down, or the key refused); undefined otherwise. */
  readonly failure: McpRelayError | undefined;
}

const hasId = (message: JSONRPCMessage): message is JSONRPCMessage & { id: string | number } =>
  'id' in message && message.id !== undefined && 'method' in message;

/** AIRSUITE_MCP_URL as a URL, or the setting error that says what is wrong with it. */
function platformUrl(setting: string): URL {
  try {
    return new URL(setting);
  } catch {
    throw new McpConfigError(
      'MCP_INVALID_SETTING',
      `AIRSUITE_MCP_URL must be a URL, got ${JSON.stringify(setting)}`,
    );
  }
}

/**
 * Requests relayed and not yet answered: when stdin ends (a script piping its requests),
 * their answers are still delivered before the bridge closes.
 */
interface PendingRequests {
  add(id: string | number): void;
  has(id: string | number): boolean;
  ids(): (string | number)[];
  settle(id: string | number): void;
  /** Resolves once every pending request is answered, or after `limitMs`. */
  allAnswered(limitMs: number): Promise<void>;
}

function createPendingRequests(): PendingRequests {
  const pending = new Set<string | number>();
  let drained: () => void = () => {};
  return {
    add: (id) => void pending.add(id),
    has: (id) => pending.has(id),
    ids: () => [...pending],
    settle(id) {
      pending.delete(id);
      if (pending.size === 0) drained();
    },
    allAnswered: (limitMs) =>
      new Promise<void>((resolve) => {
        if (pending.size === 0) return resolve();
        const timer = setTimeout(resolve, limitMs);
        drained = () => {
          clearTimeout(timer);
          resolve();
        };
      }),
  };
}

/** An initialize on its way: messages after it wait until its answer brings the session id. */
interface Handshake {
  id: string | number;
  done: Promise<void>;
  resolve: () => void;
}

function handshakeFor(id: string | number): Handshake {
  let resolve: () => void = () => {};
  const done = new Promise<void>((r) => {
    resolve = r;
  });
  return { id, done, resolve };
}

/**
 * The bridge's one shutdown. stdin's end, local.close() (whose onclose asks again) and the
 * caller may all ask to close: it runs once, awaiting answers if a request to close asked for it.
 */
function shutdownOf(
  stdin: Readable,
  local: StdioServerTransport,
  remote: StreamableHTTPClientTransport,
  pending: PendingRequests,
): { closed: Promise<void>; close: (afterAnswers?: boolean) => Promise<void> } {
  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  let waitForAnswers = false;
  const shutDown = closeOnce(async () => {
    stdin.off('end', onEnd);
    if (waitForAnswers) await pending.allAnswered(DRAIN_LIMIT_MS);
    await remote.terminateSession().catch(() => {});
    await remote.close().catch(() => {});
    await local.close().catch(() => {});
    resolveClosed();
  });
  const close = (afterAnswers = false) => {
    waitForAnswers ||= afterAnswers;
    return shutDown();
  };
  const onEnd = () => void close(true);
  stdin.on('end', onEnd);
  return { closed, close };
}

/** One running relay: its two transports and what it knows about the messages between them. */
interface Relay {
  url: URL;
  local: StdioServerTransport;
  remote: StreamableHTTPClientTransport;
  stderr: (line: string) => void;
  pending: PendingRequests;
  handshake: Handshake | undefined;
  /** The first fatal failure; once set, every request is answered with it. */
  failure: McpRelayError | undefined;
  close: (afterAnswers?: boolean) => Promise<void>;
}

function answerWithError(
  relay: Relay,
  id: string | number,
  error: { code: number; message: string; data?: object },
): void {
  relay.pending.settle(id);
  void relay.local.send({ jsonrpc: '2.0', id, error });
}

const relayError = (error: McpRelayError) => ({
  code: -32001,
  message: error.message,
  data: { code: error.code, ...(error.platformCode ? { platform_code: error.platformCode } : {}) },
});

/** The first fatal failure answers every waiting request with it and ends the relay. */
function fail(relay: Relay, error: McpRelayError): void {
  if (relay.failure) return;
  relay.failure = error;
  relay.handshake?.resolve();
  for (const id of relay.pending.ids()) answerWithError(relay, id, relayError(error));
  void relay.close();
}

/** A message of the desktop client, relayed to the platform (after the handshake, if one is on). */
async function toPlatform(relay: Relay, message: JSONRPCMessage): Promise<void> {
  if (hasId(message)) relay.pending.add(message.id);
  if ('method' in message && message.method === 'initialize' && hasId(message)) {
    relay.handshake = handshakeFor(message.id);
  } else if (relay.handshake) {
    await relay.handshake.done;
  }
  if (relay.failure) {
    // Unless fail() answered it already, while it waited for the handshake.
    if (hasId(message) && relay.pending.has(message.id))
      answerWithError(relay, message.id, relayError(relay.failure));
    return;
  }
  relay.remote.send(message).catch((error: unknown) => {
    if (error instanceof McpRelayError) return fail(relay, error);
    // Any other failure of one request: answer it so the client is not left waiting.
    const reason = error instanceof Error ? error.message : String(error);
    relay.stderr(`airsuite mcp: the platform at ${relay.url.origin} refused or failed: ${reason}`);
    if (hasId(message)) {
      if (relay.handshake?.id === message.id) relay.handshake.resolve();
      answerWithError(relay, message.id, {
        code: -32001,
        message: `AirSuite platform at ${relay.url.origin}: ${reason}`,
      });
    }
  });
}

/** A message of the platform, passed to the client; an answer settles its request. */
function toClient(relay: Relay, message: JSONRPCMessage): void {
  if (('result' in message || 'error' in message) && 'id' in message && message.id !== undefined) {
    const { handshake } = relay;
    if (handshake?.id === message.id) {
      handshake.resolve();
      // Said once the platform has answered, so a relay that cannot start prints only why.
      if ('result' in message)
        relay.stderr(`airsuite mcp: relaying stdio to the AirSuite platform at ${relay.url.href}`);
    }
    relay.pending.settle(message.id);
  }
  void relay.local.send(message);
}

/**
 * Claude Desktop speaks stdio; a shared AirSuite platform speaks Streamable HTTP. This relays
 * every JSON-RPC message between the two with the SDK's own transports, authenticated with
 * an API key, so a desktop client gets the workspace's tools, role and audit trail. When the
 * platform does not answer or refuses the key, every request is answered with one McpRelayError
 * and the relay ends (`failure` says why): nothing could be relayed until it is fixed.
 */
export async function runStdioBridge(options: StdioBridgeOptions): Promise<RunningStdioBridge> {
  const url = platformUrl(options.url);
  const stdin = options.stdin ?? process.stdin;
  const local = new StdioServerTransport(stdin, options.stdout ?? process.stdout);
  const remote = new StreamableHTTPClientTransport(url, {
    requestInit: { headers: { authorization: `Bearer ${options.apiKey}` } },
    fetch: relayFetch(options.fetch ?? fetch, url),
  });
  const pending = createPendingRequests();
  const { closed, close } = shutdownOf(stdin, local, remote, pending);
  const relay: Relay = {
    url,
    local,
    remote,
    stderr: options.stderr ?? ((line: string) => process.stderr.write(`${line}\n`)),
    pending,
    handshake: undefined,
    failure: undefined,
    close,
  };
  local.onmessage = (message) => toPlatform(relay, message);
  remote.onmessage = (message) => toClient(relay, message);
  remote.onerror = (error) => {
    // The transport reports a failed send here as well as to its caller: said once, by fail().
    if (error instanceof McpRelayError) fail(relay, error);
    else relay.stderr(`airsuite mcp: ${error.message}`);
  };
  local.onclose = () => void close(true);
  await remote.start();
  await local.start();
  return {
    closed,
    close,
    get failure() {
      return relay.failure;
    },
  };
}
