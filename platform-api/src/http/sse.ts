import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply } from 'fastify';

/** A comment line this often keeps proxies, load balancers and clients from timing the stream out. */
export const SSE_HEARTBEAT_MS = 15_000;

export interface SseFrame {
  id?: string;
  event: string;
  /** Sent as it is (text already serialised, e.g. a stored JSON envelope); a newline splits it into `data:` lines. */
  data: string;
}

export interface SseStream {
  send(frame: SseFrame): void;
  /** Ends the response (idempotent). */
  end(): void;
  readonly isClosed: boolean;
  /** Settles when the stream ended, by `end()` or because the client went away. */
  readonly closed: Promise<void>;
}

/**
 * One frame by the WHATWG rules: a client joins the `data:` lines with `\n`, so any text,
 * even one with line breaks, arrives exactly as given.
 */
export function formatSseFrame(frame: SseFrame): string {
  const id = frame.id !== undefined ? `id: ${frame.id}\n` : '';
  const data = frame.data
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}\n`)
    .join('');
  return `${id}event: ${frame.event}\n${data}\n`;
}

/**
 * Takes the response over from Fastify (`reply.hijack()`) and opens `text/event-stream` on the
 * raw response, keeping the headers the hooks already set (request id, security headers, CORS).
 */
export function openSse(reply: FastifyReply, options: { heartbeatMs?: number } = {}): SseStream {
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
  // Sends the headers at once: the client sees the stream open before the first event.
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
  // The client went away; Node keeps a half-closed socket until the response ends, so end it.
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
