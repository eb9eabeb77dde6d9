import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply } from 'fastify';

/** A comment line this often keeps proxies and browsers from timing the stream out. */
export const SSE_HEARTBEAT_MS = 15_000;

export interface SseFrame {
  /** `<runId>:<seq>` for run events; omitted for frames that are not stored. */
  id?: string;
  event: string;
  data: unknown;
}

export interface SseStream {
  send(frame: SseFrame): void;
  /** Ends the response (idempotent). */
  end(): void;
  readonly isClosed: boolean;
  /** Settles when the stream ended, by `end()` or because the client went away. */
  readonly closed: Promise<void>;
}

export interface OpenSseOptions {
  /** Default {@link SSE_HEARTBEAT_MS}. */
  heartbeatMs?: number;
}

/** One SSE frame; JSON never contains a raw newline, so `data` is always one line. */
export function formatSseFrame(frame: SseFrame): string {
  const id = frame.id !== undefined ? `id: ${frame.id}\n` : '';
  return `${id}event: ${frame.event}\ndata: ${JSON.stringify(frame.data)}\n\n`;
}

/**
 * Takes the response over from Fastify (`reply.hijack()`) and opens `text/event-stream` on the
 * raw response, keeping headers the hooks already set (request id, security headers, CORS).
 * A client that disconnects only closes the stream: whatever produces the events goes on.
 */
export function openSse(reply: FastifyReply, options: OpenSseOptions = {}): SseStream {
  reply.hijack();
  const raw = reply.raw;
  const kept: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) kept[name] = value;
  raw.writeHead(200, {
    ...kept,
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  });
  // Sends the headers at once, so the client sees the stream open before the first event.
  raw.write(': open\n\n');

  let closed = false;
  let settle: () => void = () => {};
  const closedPromise = new Promise<void>((resolve) => {
    settle = resolve;
  });
  const heartbeat = setInterval(() => {
    if (!closed) raw.write(': ping\n\n');
  }, options.heartbeatMs ?? SSE_HEARTBEAT_MS);
  heartbeat.unref();

  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    settle();
  };
  // The client went away. Node keeps a half-closed socket until the response ends, so end it.
  const gone = () => {
    finish();
    if (!raw.writableEnded) raw.end();
  };
  raw.on('close', gone);
  raw.on('error', gone);

  return {
    send(frame) {
      if (!closed) raw.write(formatSseFrame(frame));
    },
    end() {
      if (closed) return;
      finish();
      raw.end();
    },
    get isClosed() {
      return closed;
    },
    closed: closedPromise,
  };
}
