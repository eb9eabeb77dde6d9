import { setTimeout as sleep } from 'node:timers/promises';
import { type RunEvent, readSse } from '@airsuite/orchestrator';
import { ChatClientError } from './chat-client-error.ts';

/** A run event with its SSE id, `<runId>:<seq>` (what Last-Event-ID sends back). */
export interface RunEventFrame {
  id?: string;
  event: RunEvent;
}

export interface FollowOptions {
  /** Opens the stream again after the last event id seen (`GET …/events` with Last-Event-ID). */
  reopen(lastEventId: string | undefined): Promise<Response>;
  /** How often a stream that breaks before `done` is picked up again. */
  maxReconnects: number;
  signal?: AbortSignal | undefined;
  /** The last event id already seen (a resumed watch). */
  after?: string | undefined;
}

/**
 * The events of `first`, then, while the stream breaks before `done`, of reconnections from
 * the last id seen, after the server's `retry:` time when it sent one (at once otherwise).
 * 204 on a reconnection: the run has nothing more to say.
 */
export async function* followRun(first: Response, options: FollowOptions): AsyncGenerator<RunEventFrame> {
  const { signal } = options;
  let lastId = options.after;
  let retryMs = 0;
  let response = first;
  for (let reconnects = 0; ; reconnects++) {
    if (response.status === 204) return;
    if (!response.headers.get('content-type')?.startsWith('text/event-stream') || !response.body) {
      throw new ChatClientError('CHAT_CLIENT_BAD_RESPONSE', 'the orchestrator answered with no event stream');
    }
    try {
      const frames = readSse(response.body, {
        onRetry: (ms) => {
          retryMs = ms;
        },
      });
      for await (const frame of frames) {
        const event = parseEvent(frame.data);
        if (frame.id !== undefined) lastId = frame.id;
        yield { ...(frame.id !== undefined ? { id: frame.id } : {}), event };
        if (event.type === 'done') return;
      }
    } catch (error) {
      if (signal?.aborted || error instanceof ChatClientError) throw error;
      // The connection broke: reconnect below.
    }
    if (signal?.aborted) return;
    if (reconnects >= options.maxReconnects) {
      throw new ChatClientError(
        'CHAT_CLIENT_BAD_RESPONSE',
        'the event stream kept ending before the run did',
      );
    }
    if (retryMs > 0) {
      const slept = await sleep(retryMs, true, signal ? { signal } : {}).catch(() => false);
      if (!slept) return;
    }
    response = await options.reopen(lastId);
  }
}

function parseEvent(data: string): RunEvent {
  let event: unknown;
  try {
    event = JSON.parse(data);
  } catch (error) {
    throw new ChatClientError('CHAT_CLIENT_BAD_RESPONSE', 'an event was not JSON', undefined, {
      cause: error,
    });
  }
  if (typeof event !== 'object' || event === null || typeof (event as { type?: unknown }).type !== 'string') {
    throw new ChatClientError('CHAT_CLIENT_BAD_RESPONSE', 'an event had no type');
  }
  return event as RunEvent;
}
