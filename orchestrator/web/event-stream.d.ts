import type { createParser } from 'eventsource-parser';

/** One frame: `id` (when the frame set one), `event` (default `message`) and `data` joined by newlines. */
export interface SseFrame {
  id?: string;
  event: string;
  data: string;
}

export interface EventStreamOptions {
  /** A `retry:` field: the server's reconnection time in milliseconds. */
  onRetry?(ms: number): void;
}

export interface EventStreamDecoder {
  /** The next piece of the decoded stream; the frames it completed. */
  push(text: string): SseFrame[];
  /** The stream ended; the frame a final lone CR completed, if any. */
  end(): SseFrame[];
}

export function eventStreamDecoder(
  create: typeof createParser,
  options?: EventStreamOptions,
): EventStreamDecoder;
