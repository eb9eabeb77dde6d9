import {
  formatSseFrame as formatTextFrame,
  openSse as openTextSse,
  SSE_HEARTBEAT_MS,
} from '@airsuite/platform-api';
import type { FastifyReply } from 'fastify';

/** The platform's event-stream writer, framing the chat's events as JSON (one stream code for both). */
export { SSE_HEARTBEAT_MS };

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

const asText = (frame: SseFrame) => ({ ...frame, data: JSON.stringify(frame.data) });

/** One SSE frame; JSON never contains a raw newline, so `data` is always one line. */
export function formatSseFrame(frame: SseFrame): string {
  return formatTextFrame(asText(frame));
}

/**
 * Takes the response over from Fastify and opens `text/event-stream` (the platform's openSse):
 * a client that disconnects only closes the stream; whatever produces the events goes on.
 */
export function openSse(reply: FastifyReply, options: OpenSseOptions = {}): SseStream {
  const stream = openTextSse(reply, options);
  return {
    send: (frame) => stream.send(asText(frame)),
    end: () => stream.end(),
    get isClosed() {
      return stream.isClosed;
    },
    closed: stream.closed,
  };
}
