import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { ListenError } from './listen-error.ts';

/** One event of the stream: its resume point, its type and the envelope text as the platform sent it. */
export interface StreamedEvent {
  seq: string;
  type: string;
  body: string;
}

/** What a connection yields: the platform's `ready` (with where it resumes) or an event. */
export type StreamItem = { kind: 'ready'; after: string } | { kind: 'event'; event: StreamedEvent };

/** Where the stream is and how to ask for it; the same for every reconnection. */
export interface StreamTarget {
  url: string;
  platformUrl: string;
  apiKey: string;
  fetch: typeof fetch;
  /** Ends every connection for good. */
  signal: AbortSignal;
  /** A connection this long without a byte is dead. */
  idleMs: number;
}

async function problemOf(response: Response): Promise<{ code: string; detail: string }> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { code?: unknown; detail?: unknown };
    return {
      code: typeof body.code === 'string' ? body.code : `HTTP_${response.status}`,
      detail: typeof body.detail === 'string' ? body.detail : response.statusText,
    };
  } catch {
    return { code: `HTTP_${response.status}`, detail: response.statusText || 'no detail' };
  }
}

/** 4xx: asking again will not help. 5xx (a platform restarting, its database away): it may. */
const isRefusal = (status: number) => status >= 400 && status < 500 && status !== 408 && status !== 429;

function itemOf(frame: EventSourceMessage): StreamItem | undefined {
  if (frame.event === 'ready') return frame.id ? { kind: 'ready', after: frame.id } : undefined;
  if (frame.event === 'error') {
    let problem: { code?: string; message?: string } = {};
    try {
      problem = JSON.parse(frame.data) as typeof problem;
    } catch {
      // The code is enough, and a missing one still ends the stream.
    }
    throw new ListenError(
      'LISTEN_REFUSED',
      `${problem.code ?? 'STREAM_ENDED'}: ${problem.message ?? 'the platform ended the stream'}`,
      problem.code,
    );
  }
  if (!frame.id || !frame.event) return undefined;
  return { kind: 'event', event: { seq: frame.id, type: frame.event, body: frame.data } };
}

/** Asks for the stream from `after` on; the body of an answer that is the event stream. */
async function openStream(
  target: StreamTarget,
  after: string | undefined,
  signal: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  let response: Response;
  try {
    response = await target.fetch(target.url, {
      headers: {
        authorization: `Bearer ${target.apiKey}`,
        accept: 'text/event-stream',
        ...(after !== undefined ? { 'last-event-id': after } : {}),
      },
      signal,
    });
  } catch (error) {
    throw new ListenError(
      'LISTEN_UNREACHABLE',
      `cannot reach the platform at ${target.platformUrl}`,
      undefined,
      {
        cause: error,
      },
    );
  }
  if (!response.ok) {
    const problem = await problemOf(response);
    throw new ListenError(
      isRefusal(response.status) ? 'LISTEN_REFUSED' : 'LISTEN_UNREACHABLE',
      `${problem.code}: ${problem.detail}`,
      problem.code,
    );
  }
  if (!response.body || !response.headers.get('content-type')?.startsWith('text/event-stream')) {
    throw new ListenError(
      'LISTEN_BAD_RESPONSE',
      `${target.url} answered with no event stream: is this an AirSuite platform?`,
    );
  }
  return response.body;
}

/** The body's frames as items; `alive` is called on every chunk (and once before the first). */
async function* readItems(body: ReadableStream<Uint8Array>, alive: () => void): AsyncGenerator<StreamItem> {
  const frames: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (frame) => frames.push(frame) });
  const decoder = new TextDecoder();
  alive();
  try {
    for await (const chunk of body) {
      alive();
      parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
      for (const frame of frames.splice(0)) {
        const item = itemOf(frame);
        if (item) yield item;
      }
    }
  } catch (error) {
    if (error instanceof ListenError) throw error;
    throw new ListenError('LISTEN_UNREACHABLE', 'the connection to the platform broke', undefined, {
      cause: error,
    });
  }
}

/** One connection's frames; ends when the body ends, throws when it breaks or is refused. */
export async function* connect(target: StreamTarget, after: string | undefined): AsyncGenerator<StreamItem> {
  const connection = new AbortController();
  const stop = () => connection.abort();
  target.signal.addEventListener('abort', stop, { once: true });
  let idle: NodeJS.Timeout | undefined;
  // Restarted on every byte: the platform's pings keep a live connection from ever firing it.
  const watch = () => {
    clearTimeout(idle);
    idle = setTimeout(stop, target.idleMs);
  };
  try {
    yield* readItems(await openStream(target, after, connection.signal), watch);
  } finally {
    clearTimeout(idle);
    target.signal.removeEventListener('abort', stop);
    connection.abort();
  }
}
