import { setTimeout as sleep } from 'node:timers/promises';
import { isPlatformError } from '../errors.ts';
import type { EventFeed } from '../webhooks/event-feed.ts';
import type { EventSignals } from '../webhooks/event-signals.ts';
import { createWakeup } from '../webhooks/worker/wakeup.ts';
import type { SseStream } from './sse.ts';

/** A NOTIFY can be lost (the LISTEN connection reconnecting): look this often anyway. */
export const EVENT_STREAM_POLL_MS = 3_000;
/** While a hole in `seq` may still fill (a transaction in flight), look again this soon. */
export const EVENT_STREAM_HOLE_RETRY_MS = 250;
/** A stream outlives its credential at most this long: a revoked key or a removed member stops it. */
export const EVENT_STREAM_RECHECK_MS = 10_000;

export interface PumpEventsOptions {
  stream: SseStream;
  feed: EventFeed;
  signals: EventSignals;
  workspaceId: string;
  /** Events after this `seq` are sent. */
  cursor: bigint;
  /** Throws (a PlatformError of status 401, 403 or 404) once the caller may no longer read the workspace. */
  recheck: () => Promise<void>;
  /** Told of failures that do not end the stream (the database away for a while). */
  onError?: (error: unknown) => void;
  pollMs?: number;
  holeRetryMs?: number;
  recheckMs?: number;
}

/** The caller lost its right to the stream (as opposed to the database being away). */
const isRefusal = (error: unknown) =>
  isPlatformError(error) && (error.status === 401 || error.status === 403 || error.status === 404);

/**
 * Writes the workspace's events to `stream` until it closes: first a `ready` frame whose id is
 * the resume point it starts from, then each event as `id: <seq>`, `event: <type>`, `data:
 * <envelope>`. Reads again when woken (a commit in the workspace), when a poll comes due, or
 * soon while a hole may fill. A refused recheck ends the stream with an `error` frame
 * `{code, message}`; a database that fails is retried at the next poll.
 */
export async function pumpEvents(options: PumpEventsOptions): Promise<void> {
  const { stream, feed } = options;
  const wakeup = createWakeup(options.pollMs ?? EVENT_STREAM_POLL_MS);
  const recheckMs = options.recheckMs ?? EVENT_STREAM_RECHECK_MS;
  const unsubscribe = await options.signals.subscribe(options.workspaceId, () => wakeup.wake());
  void stream.closed.then(() => wakeup.close());
  let cursor = options.cursor;
  let checkedAt = Date.now();
  try {
    stream.send({
      id: cursor.toString(),
      event: 'ready',
      data: JSON.stringify({ after: cursor.toString() }),
    });
    while (!stream.isClosed) {
      let waiting = false;
      try {
        const page = await feed.read(cursor);
        for (const event of page.events) {
          stream.send({ id: event.seq.toString(), event: event.type, data: event.payload });
        }
        cursor = page.cursor;
        if (page.more) continue;
        waiting = page.waiting;
      } catch (error) {
        if (stream.isClosed) break;
        options.onError?.(error);
      }
      if (waiting) await sleep(options.holeRetryMs ?? EVENT_STREAM_HOLE_RETRY_MS);
      else await wakeup.next();
      if (stream.isClosed || Date.now() - checkedAt < recheckMs) continue;
      checkedAt = Date.now();
      try {
        await options.recheck();
      } catch (error) {
        if (!isRefusal(error)) {
          options.onError?.(error);
          continue;
        }
        const { code, message } = error as { code: string; message: string };
        stream.send({ event: 'error', data: JSON.stringify({ code, message }) });
        stream.end();
      }
    }
  } finally {
    unsubscribe();
    wakeup.close();
  }
}
