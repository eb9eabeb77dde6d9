import { ApiError } from './api-error.js';
import { eventStreamDecoder } from './event-stream.js';
import { createParser } from './vendor/eventsource-parser.js';

/**
 * A run's event stream as the page reads it: fetch + ReadableStream (EventSource cannot send
 * Authorization), read by event-stream.js (as the orchestrator's readSse reads it) over
 * eventsource-parser (served at /vendor/), resumed with `Last-Event-ID` when the
 * connection drops.
 */

/** Reconnect attempts after a dropped stream, and the first delay (doubled each time). */
const RECONNECT_ATTEMPTS = 5;
const RECONNECT_DELAY_MS = 500;
/** How long a stream may stay open after its `done` event before the page closes it. */
const DRAIN_MS = 2_000;

/**
 * Reads `response` and, while it ends before `done`, the reconnection `reopen` makes from the
 * last event id; events go to `onEvent`. The first delay is the server's `retry:` when it sent one.
 * @param {Response} response an open `text/event-stream`
 * @param {(lastId: string | undefined) => Promise<Response | 'finished' | 'unreachable'>} reopen
 *   `GET …/events`: 'finished' (204) when the run has nothing more to say, 'unreachable' to try
 *   again later; a refusal rejects
 * @param {(event: any) => void} onEvent
 */
export async function followRun(response, reopen, onEvent) {
  const state = { lastId: undefined, done: false, retryMs: RECONNECT_DELAY_MS };
  let current = response;
  for (let attempt = 0; ; attempt += 1) {
    const before = state.lastId;
    try {
      await readEvents(current, state, onEvent);
    } catch {
      // The connection dropped mid-stream; resumed below.
    }
    if (state.done) return;
    if (state.lastId !== before) attempt = 0;
    if (attempt >= RECONNECT_ATTEMPTS) {
      throw new ApiError(
        0,
        'STREAM_LOST',
        'the connection was lost; reopen the conversation to see the rest',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, state.retryMs * 2 ** attempt));
    const next = await reopen(state.lastId);
    if (next === 'finished') return;
    if (next !== 'unreachable') current = next;
  }
}

/**
 * Reads SSE frames from `response` as they arrive, until the body ends or a `done` event.
 * @param {Response} response
 * @param {{ lastId: string | undefined, done: boolean, retryMs: number }} state updated as frames arrive
 * @param {(event: any) => void} onEvent
 */
async function readEvents(response, state, onEvent) {
  if (!response.body) return;
  // TextDecoderStream decodes UTF-8 and drops the leading BOM, as the spec asks.
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const decoder = eventStreamDecoder(createParser, {
    onRetry: (ms) => {
      state.retryMs = ms;
    },
  });
  for (;;) {
    const { value, done } = await reader.read();
    for (const frame of done ? decoder.end() : decoder.push(value)) {
      const event = jsonOf(frame.data);
      if (event === undefined) continue;
      if (frame.id) state.lastId = frame.id;
      onEvent(event);
      if (event.type === 'done') {
        state.done = true;
        if (!done) void drain(reader);
        return;
      }
    }
    if (done) return;
  }
}

/** @param {string} data */
function jsonOf(data) {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

/**
 * Reads what follows `done` to the end: the server ends the stream right after it, and
 * cancelling the reader instead would abort the request (a failed request in the browser).
 * A stream still open after {@link DRAIN_MS} is cancelled.
 * @param {ReadableStreamDefaultReader<string>} reader
 */
async function drain(reader) {
  const timer = setTimeout(() => reader.cancel().catch(() => {}), DRAIN_MS);
  try {
    while (!(await reader.read()).done) {
      // Only comments (heartbeats) can follow `done`.
    }
  } catch {
    // The connection dropped after `done`: nothing was lost.
  } finally {
    clearTimeout(timer);
  }
}
