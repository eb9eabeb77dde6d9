import { setTimeout as sleep } from 'node:timers/promises';
import { codedError } from '@airsuite/airtable-gateway/coded-error';
import { createParser, type EventSourceMessage } from 'eventsource-parser';

/**
 * - LISTEN_UNREACHABLE: the platform gave no HTTP answer (nothing listening, DNS, reset).
 * - LISTEN_REFUSED: the platform refused who is asking or what (401 key, 403 role, 404
 *   workspace, 400 unknown event types), at the start or later (a key revoked meanwhile).
 * - LISTEN_BAD_RESPONSE: an answer that is not the event stream.
 */
export type ListenErrorCode = 'LISTEN_UNREACHABLE' | 'LISTEN_REFUSED' | 'LISTEN_BAD_RESPONSE';

export class ListenError extends codedError<ListenErrorCode>('ListenError') {
  constructor(
    code: ListenErrorCode,
    message: string,
    /** The platform's problem code (AUTH_INVALID_TOKEN, FORBIDDEN…), when it said one. */
    readonly problemCode?: string,
    options?: ErrorOptions,
  ) {
    super(code, message, options);
  }
}

/** One event of the stream: its resume point, its type and the envelope text as the platform sent it. */
export interface StreamedEvent {
  seq: string;
  type: string;
  body: string;
}

/** First pause before reconnecting; doubled per failed attempt up to RECONNECT_MAX_MS. */
export const RECONNECT_INITIAL_MS = 250;
export const RECONNECT_MAX_MS = 10_000;
/** The platform sends `: ping` every 15 s: this long without a byte is a dead connection. */
export const STREAM_IDLE_MS = 45_000;

export interface FollowEventsOptions {
  platformUrl: string;
  apiKey: string;
  workspaceId: string;
  events?: readonly string[];
  /** Resume after this seq; from now when absent. */
  after?: string;
  signal: AbortSignal;
  fetch?: typeof fetch;
  /** Told when the connection drops and comes back (for the terminal). */
  onStatus?: (
    status: { kind: 'connected'; after: string } | { kind: 'lost'; reason: string; retryMs: number },
  ) => void;
  idleMs?: number;
  random?: () => number;
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

/**
 * The workspace's events, for as long as `signal` allows: after a drop (the platform
 * restarting, the network) it reconnects with backoff and `Last-Event-ID` = the last seq seen,
 * so nothing is missed. An event counts as seen once the consumer asks for the next one.
 * Throws ListenError when refused (at once: a wrong key, role, workspace or event type), or
 * when the very first connection gets no answer; returns when `signal` aborts.
 */
export async function* followEvents(options: FollowEventsOptions): AsyncGenerator<StreamedEvent> {
  const doFetch = options.fetch ?? fetch;
  const random = options.random ?? Math.random;
  const { signal } = options;
  const query = options.events ? `?types=${encodeURIComponent(options.events.join(','))}` : '';
  const url = `${options.platformUrl}/v1/workspaces/${encodeURIComponent(options.workspaceId)}/events/stream${query}`;
  let lastSeq = options.after;
  let connectedOnce = false;
  let failures = 0;

  while (!signal.aborted) {
    let reason: string;
    try {
      for await (const item of connect(url, lastSeq)) {
        if (item.kind === 'ready') {
          lastSeq = item.after;
          connectedOnce = true;
          failures = 0;
          options.onStatus?.({ kind: 'connected', after: item.after });
          continue;
        }
        yield item.event;
        lastSeq = item.event.seq;
      }
      reason = 'the platform ended the stream';
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof ListenError && (error.code !== 'LISTEN_UNREACHABLE' || !connectedOnce))
        throw error;
      reason = (error as Error).message;
    }
    if (signal.aborted) return;
    failures += 1;
    const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_INITIAL_MS * 2 ** (failures - 1));
    const retryMs = Math.round(ceiling * (0.5 + random() / 2));
    options.onStatus?.({ kind: 'lost', reason, retryMs });
    await sleep(retryMs, undefined, { signal }).catch(() => {});
  }

  type Item = { kind: 'ready'; after: string } | { kind: 'event'; event: StreamedEvent };

  /** One connection's frames; ends when the body ends, throws when it breaks or is refused. */
  async function* connect(target: string, after: string | undefined): AsyncGenerator<Item> {
    const connection = new AbortController();
    const stop = () => connection.abort();
    signal.addEventListener('abort', stop, { once: true });
    let idle: NodeJS.Timeout | undefined;
    const watch = () => {
      clearTimeout(idle);
      idle = setTimeout(stop, options.idleMs ?? STREAM_IDLE_MS);
    };
    try {
      let response: Response;
      try {
        response = await doFetch(target, {
          headers: {
            authorization: `Bearer ${options.apiKey}`,
            accept: 'text/event-stream',
            ...(after !== undefined ? { 'last-event-id': after } : {}),
          },
          signal: connection.signal,
        });
      } catch (error) {
        throw new ListenError(
          'LISTEN_UNREACHABLE',
          `cannot reach the platform at ${options.platformUrl}`,
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
          `${target} answered with no event stream: is this an AirSuite platform?`,
        );
      }
      const frames: EventSourceMessage[] = [];
      const parser = createParser({ onEvent: (frame) => frames.push(frame) });
      const decoder = new TextDecoder();
      watch();
      try {
        for await (const chunk of response.body) {
          watch();
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
    } finally {
      clearTimeout(idle);
      signal.removeEventListener('abort', stop);
      connection.abort();
    }
  }
}

function itemOf(
  frame: EventSourceMessage,
): { kind: 'ready'; after: string } | { kind: 'event'; event: StreamedEvent } | undefined {
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
