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

/**
 * Claude Desktop speaks stdio; a shared AirSuite platform speaks Streamable HTTP. This relays
 * every JSON-RPC message between the two with the SDK's own transports, authenticated with
 * an API key, so a desktop client gets the workspace's tools, role and audit trail. When the
 * platform does not answer or refuses the key, every request is answered with one McpRelayError
 * and the relay ends (`failure` says why): nothing could be relayed until it is fixed.
 */
export async function runStdioBridge(options: StdioBridgeOptions): Promise<RunningStdioBridge> {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new McpConfigError(
      'MCP_INVALID_SETTING',
      `AIRSUITE_MCP_URL must be a URL, got ${JSON.stringify(options.url)}`,
    );
  }
  const stderr = options.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  const stdin = options.stdin ?? process.stdin;
  const local = new StdioServerTransport(stdin, options.stdout ?? process.stdout);
  const remote = new StreamableHTTPClientTransport(url, {
    requestInit: { headers: { authorization: `Bearer ${options.apiKey}` } },
    fetch: relayFetch(options.fetch ?? fetch, url),
  });

  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  // Requests relayed and not yet answered: when stdin ends (a script piping its requests),
  // their answers are still delivered before the bridge closes.
  const pending = new Set<string | number>();
  let drained: () => void = () => {};
  const settle = (id: string | number) => {
    pending.delete(id);
    if (pending.size === 0) drained();
  };
  const allAnswered = (limitMs: number) =>
    new Promise<void>((resolve) => {
      if (pending.size === 0) return resolve();
      const timer = setTimeout(resolve, limitMs);
      drained = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  // stdin's end, local.close() (whose onclose asks again) and the caller may all ask to
  // close: the shutdown runs once, awaiting answers if a request to close asked for it.
  let waitForAnswers = false;
  const shutDown = closeOnce(async () => {
    stdin.off('end', onEnd);
    if (waitForAnswers) await allAnswered(DRAIN_LIMIT_MS);
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

  const answerWithError = (id: string | number, error: { code: number; message: string; data?: object }) => {
    settle(id);
    void local.send({ jsonrpc: '2.0', id, error });
  };
  const relayError = (error: McpRelayError) => ({
    code: -32001,
    message: error.message,
    data: { code: error.code, ...(error.platformCode ? { platform_code: error.platformCode } : {}) },
  });
  let failure: McpRelayError | undefined;
  /** The first fatal failure answers every waiting request with it and ends the relay. */
  const fail = (error: McpRelayError) => {
    if (failure) return;
    failure = error;
    handshake?.resolve();
    for (const id of [...pending]) answerWithError(id, relayError(error));
    void close();
  };

  // The session id arrives with the answer to initialize: hold later messages until then,
  // for clients (and scripts) that do not wait for it themselves.
  let handshake: { id: string | number; done: Promise<void>; resolve: () => void } | undefined;
  local.onmessage = async (message) => {
    if (hasId(message)) pending.add(message.id);
    if ('method' in message && message.method === 'initialize' && hasId(message)) {
      let resolve: () => void = () => {};
      const done = new Promise<void>((r) => {
        resolve = r;
      });
      handshake = { id: message.id, done, resolve };
    } else if (handshake) {
      await handshake.done;
    }
    if (failure) {
      // Unless fail() answered it already, while it waited for the handshake.
      if (hasId(message) && pending.has(message.id)) answerWithError(message.id, relayError(failure));
      return;
    }
    remote.send(message).catch((error: unknown) => {
      if (error instanceof McpRelayError) return fail(error);
      // Any other failure of one request: answer it so the client is not left waiting.
      const reason = error instanceof Error ? error.message : String(error);
      stderr(`airsuite mcp: the platform at ${url.origin} refused or failed: ${reason}`);
      if (hasId(message)) {
        if (handshake?.id === message.id) handshake.resolve();
        answerWithError(message.id, {
          code: -32001,
          message: `AirSuite platform at ${url.origin}: ${reason}`,
        });
      }
    });
  };
  remote.onmessage = (message) => {
    if (('result' in message || 'error' in message) && 'id' in message && message.id !== undefined) {
      if (handshake?.id === message.id) {
        handshake.resolve();
        // Said once the platform has answered, so a relay that cannot start prints only why.
        if ('result' in message)
          stderr(`airsuite mcp: relaying stdio to the AirSuite platform at ${url.href}`);
      }
      settle(message.id);
    }
    void local.send(message);
  };
  remote.onerror = (error) => {
    // The transport reports a failed send here as well as to its caller: said once, by fail().
    if (error instanceof McpRelayError) fail(error);
    else stderr(`airsuite mcp: ${error.message}`);
  };
  local.onclose = () => void close(true);
  await remote.start();
  await local.start();
  return {
    closed,
    close,
    get failure() {
      return failure;
    },
  };
}
