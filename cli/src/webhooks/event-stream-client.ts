import { setTimeout as sleep } from 'node:timers/promises';
import { ListenError } from './listen-error.ts';
import { connect, type StreamedEvent, type StreamTarget } from './stream-connection.ts';

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

/** The pause before reconnection attempt `failures`: exponential up to the cap, with jitter. */
function reconnectDelay(failures: number, random: () => number): number {
  const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_INITIAL_MS * 2 ** (failures - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

function streamTarget(options: FollowEventsOptions): StreamTarget {
  const query = options.events ? `?types=${encodeURIComponent(options.events.join(','))}` : '';
  return {
    url: `${options.platformUrl}/v1/workspaces/${encodeURIComponent(options.workspaceId)}/events/stream${query}`,
    platformUrl: options.platformUrl,
    apiKey: options.apiKey,
    fetch: options.fetch ?? fetch,
    signal: options.signal,
    idleMs: options.idleMs ?? STREAM_IDLE_MS,
  };
}

/**
 * The workspace's events, for as long as `signal` allows: after a drop (the platform
 * restarting, the network) it reconnects with backoff and `Last-Event-ID` = the last seq seen,
 * so nothing is missed. An event counts as seen once the consumer asks for the next one.
 * Throws ListenError when refused (at once: a wrong key, role, workspace or event type), or
 * when the very first connection gets no answer; returns when `signal` aborts.
 */
export async function* followEvents(options: FollowEventsOptions): AsyncGenerator<StreamedEvent> {
  const random = options.random ?? Math.random;
  const { signal } = options;
  const target = streamTarget(options);
  let lastSeq = options.after;
  let connectedOnce = false;
  let failures = 0;

  while (!signal.aborted) {
    let reason: string;
    try {
      for await (const item of connect(target, lastSeq)) {
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
      // Once connected, an unreachable platform is a drop to ride out; a refusal never is.
      if (error instanceof ListenError && (error.code !== 'LISTEN_UNREACHABLE' || !connectedOnce))
        throw error;
      reason = (error as Error).message;
    }
    if (signal.aborted) return;
    failures += 1;
    const retryMs = reconnectDelay(failures, random);
    options.onStatus?.({ kind: 'lost', reason, retryMs });
    await sleep(retryMs, undefined, { signal }).catch(() => {});
  }
}
