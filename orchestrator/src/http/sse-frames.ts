import { createParser } from 'eventsource-parser';
import { type EventStreamOptions, eventStreamDecoder, type SseFrame } from '../../web/event-stream.js';

/**
 * The client side of the chat's `text/event-stream`, read by the WHATWG rules: one decoder
 * (web/event-stream.js over eventsource-parser) for the terminal chat, the specs and the web
 * page, which loads the same parser from `/vendor/eventsource-parser.js` (PAGE_VENDOR_FILES).
 */

export type { SseFrame };
export type ReadSseOptions = EventStreamOptions;

/**
 * The frames of an SSE body as they arrive (a frame is yielded as soon as its blank line is
 * read). Ends when the body ends; a partial last frame is dropped, as EventSource does.
 */
export async function* readSse(
  body: ReadableStream<Uint8Array>,
  options: ReadSseOptions = {},
): AsyncGenerator<SseFrame> {
  // UTF-8 decode strips one leading BOM, and keeps a character split across chunks whole.
  const decoder = new TextDecoder();
  const frames = eventStreamDecoder(createParser, options);
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        yield* frames.push(decoder.decode());
        yield* frames.end();
        return;
      }
      yield* frames.push(decoder.decode(value, { stream: true }));
    }
  } finally {
    // Stops the download when the consumer leaves early (break, return, throw).
    await reader.cancel().catch(() => {});
  }
}

/** One event of a complete body, its data read as JSON (the chat's events are JSON). */
export interface ParsedSseEvent {
  id?: string;
  event: string;
  data: unknown;
}

/** The frames of a complete SSE body (its leading BOM, if any, ignored). */
export function sseFramesOf(body: string, options: ReadSseOptions = {}): SseFrame[] {
  const frames = eventStreamDecoder(createParser, options);
  return [...frames.push(body.replace(/^\uFEFF/, '')), ...frames.end()];
}

/** Parses a complete SSE body whose data is JSON. */
export function parseSse(body: string): ParsedSseEvent[] {
  return sseFramesOf(body).map((frame) => ({ ...frame, data: JSON.parse(frame.data) }));
}
