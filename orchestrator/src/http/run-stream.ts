import type { ChatService } from '../chat-service.ts';
import { isChatError } from '../loop/errors.ts';
import type { StoredEvent } from '../loop/events.ts';
import type { SseStream } from './sse.ts';

export interface RunWatch {
  /** Settles once the stored events after `afterSeq` are replayed (they are then in hand). */
  readonly ready: Promise<void>;
  /** Events received and not yet written to a stream. */
  pending(): readonly StoredEvent[];
  /** Resolves when an event matching `predicate` arrives (or already has). */
  until(predicate: (event: StoredEvent) => boolean): Promise<void>;
  /** Writes what arrived so far, then every later event; ends the stream after the first `done`. */
  pipe(stream: SseStream): void;
  /**
   * The work producing the run failed: when no `done` came, closes the stream with an
   * `error` event (CHAT_INTERNAL unless it was a ChatError) and a `done` of status failed.
   */
  fail(error: unknown): Promise<void>;
  stop(): void;
}

/**
 * A run's events after `afterSeq`, from the store and then live, held until a stream is
 * attached: a route subscribes before it knows whether it will answer with a stream or with
 * JSON (an approval that does not resume the run), so no event falls between the two.
 */
export function watchRun(chat: Pick<ChatService, 'subscribe'>, runId: string, afterSeq: number): RunWatch {
  const held: StoredEvent[] = [];
  const seen: StoredEvent[] = [];
  const waiters = new Set<{ predicate: (event: StoredEvent) => boolean; resolve: () => void }>();
  let sink: SseStream | undefined;
  let done = false;
  let stopped = false;
  let unsubscribe: (() => void) | undefined;

  const stop = () => {
    stopped = true;
    unsubscribe?.();
    unsubscribe = undefined;
  };

  const write = (stored: StoredEvent) =>
    sink?.send({ id: stored.id, event: stored.event.type, data: stored.event });

  const onEvent = (stored: StoredEvent) => {
    if (done || stopped) return;
    seen.push(stored);
    if (sink) write(stored);
    else held.push(stored);
    for (const waiter of waiters) {
      if (waiter.predicate(stored)) {
        waiters.delete(waiter);
        waiter.resolve();
      }
    }
    if (stored.event.type === 'done') {
      done = true;
      if (sink) {
        sink.end();
        stop();
      }
    }
  };

  const ready = chat.subscribe(runId, afterSeq, onEvent).then((off) => {
    unsubscribe = off;
    if (stopped || (done && sink)) stop();
  });

  return {
    ready,
    pending: () => held,
    until(predicate) {
      if (seen.some(predicate)) return Promise.resolve();
      return new Promise((resolve) => waiters.add({ predicate, resolve }));
    },
    pipe(stream) {
      sink = stream;
      for (const stored of held.splice(0)) write(stored);
      if (done) {
        stream.end();
        stop();
        return;
      }
      // The client left: stop listening; the run goes on server-side.
      void stream.closed.then(stop);
    },
    async fail(error) {
      await ready.catch(() => {});
      if (done) return;
      done = true;
      const frames = failureFrames(error);
      if (sink) {
        for (const frame of frames) sink.send(frame);
        sink.end();
      }
      stop();
    },
    stop,
  };
}

/**
 * How a stream ends when the work behind it failed before `done`: an `error` (CHAT_INTERNAL
 * unless it was a ChatError of another code) and a `done` of status failed.
 */
function failureFrames(error: unknown) {
  const chatError = isChatError(error) && error.code !== 'CHAT_INTERNAL' ? error : undefined;
  return [
    {
      event: 'error',
      data: {
        type: 'error',
        code: chatError?.code ?? 'CHAT_INTERNAL',
        message: chatError?.message ?? 'the chat failed unexpectedly; try again',
      },
    },
    { event: 'done', data: { type: 'done', status: 'failed', text: '' } },
  ];
}
