import pg from 'pg';
import type { ListenOptions, NotificationGap } from './database.ts';

/** First wait before re-opening a lost LISTEN connection; doubled per failed attempt. */
export const LISTEN_RETRY_INITIAL_MS = 100;
/** The longest wait between two attempts: the database is tried again at least this often. */
export const LISTEN_RETRY_MAX_MS = 5_000;
/**
 * How often the LISTEN connection is asked `SELECT 1`. A server that vanished without closing
 * the socket (a network partition, a frozen host) raises no error; an unanswered heartbeat is
 * how the listener learns of it, within two periods instead of the kernel's hours.
 */
export const LISTEN_HEARTBEAT_MS = 15_000;

export interface PgListenerOptions {
  /** A new, unconnected client with the database's settings. */
  newClient: () => pg.Client;
  /** Default {@link LISTEN_RETRY_INITIAL_MS}. */
  retryInitialMs?: number;
  /** Default {@link LISTEN_RETRY_MAX_MS}. */
  retryMaxMs?: number;
  /** Default {@link LISTEN_HEARTBEAT_MS}. */
  heartbeatMs?: number;
  /** Jitter source, so processes cut off together do not all come back in the same instant. */
  random?: () => number;
}

export interface PgListener {
  listen(
    channel: string,
    onPayload: (payload: string) => void,
    options?: ListenOptions,
  ): Promise<() => Promise<void>>;
  /** Stops for good: no more reconnecting, the connection is closed. */
  close(): Promise<void>;
}

interface Subscriber {
  onPayload: (payload: string) => void;
  onGap: ((gap: NotificationGap) => void) | undefined;
  /** The last thing it was told (a new one counts as listening), so it hears each change once. */
  state: NotificationGap;
}

/**
 * Every LISTEN of one database on one connection of its own, outside the pool: the pool's
 * idle handling does not watch a connection held for good, so this one watches itself. When it
 * drops, every subscriber hears `'lost'`, a new connection is tried with backoff (forever,
 * until `close()`), and once it listens on every channel again they hear `'resumed'`.
 */
export function createPgListener(options: PgListenerOptions): PgListener {
  const initialMs = options.retryInitialMs ?? LISTEN_RETRY_INITIAL_MS;
  const maxMs = options.retryMaxMs ?? LISTEN_RETRY_MAX_MS;
  const random = options.random ?? Math.random;
  const channels = new Map<string, Set<Subscriber>>();
  const heartbeatMs = options.heartbeatMs ?? LISTEN_HEARTBEAT_MS;
  /** The connection that listens, the channels it listens on, whether a heartbeat is unanswered. */
  let live: { client: pg.Client; channels: Set<string>; beating: boolean } | undefined;
  let opening: Promise<boolean> | undefined;
  let retry: NodeJS.Timeout | undefined;
  let failures = 0;
  let closed = false;

  const tell = (subscribers: Iterable<Subscriber>, gap: NotificationGap) => {
    for (const subscriber of subscribers) {
      if (subscriber.state === gap) continue;
      subscriber.state = gap;
      try {
        subscriber.onGap?.(gap);
      } catch {
        // One subscriber's failure must not keep the others from hearing of the gap.
      }
    }
  };
  const everyone = () => [...channels.values()].flatMap((subscribers) => [...subscribers]);

  function lost(client: pg.Client): void {
    // A client still opening reports its failure through `open()`.
    if (live?.client !== client) return;
    live = undefined;
    client.end().catch(() => {});
    if (closed) return;
    tell(everyone(), 'lost');
    scheduleRetry();
  }

  async function open(): Promise<boolean> {
    const client = options.newClient();
    // Attached before anything else: a pg client that errors with no listener ends the process.
    client.on('error', () => lost(client));
    client.on('end', () => lost(client));
    client.on('notification', (message) => {
      if (live?.client !== client) return;
      for (const subscriber of channels.get(message.channel) ?? [])
        subscriber.onPayload(message.payload ?? '');
    });
    const listening = new Set<string>();
    try {
      await client.connect();
      // A live iteration: channels subscribed while this runs are listened to as well.
      for (const channel of channels.keys()) {
        await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
        listening.add(channel);
      }
    } catch {
      client.end().catch(() => {});
      return false;
    }
    if (closed) {
      await client.end().catch(() => {});
      return false;
    }
    live = { client, channels: listening, beating: false };
    return true;
  }

  const heartbeat = setInterval(() => {
    const current = live;
    if (!current) return;
    // The previous heartbeat never came back: the connection is as good as gone.
    if (current.beating) return lost(current.client);
    current.beating = true;
    current.client.query('SELECT 1').then(
      () => {
        current.beating = false;
      },
      () => lost(current.client),
    );
  }, heartbeatMs);
  heartbeat.unref();

  const openOnce = (): Promise<boolean> => {
    opening ??= open().finally(() => {
      opening = undefined;
    });
    return opening;
  };

  function scheduleRetry(): void {
    if (closed || retry) return;
    const delay = Math.min(maxMs, initialMs * 2 ** failures) * (0.5 + random() / 2);
    failures += 1;
    retry = setTimeout(async () => {
      retry = undefined;
      const ok = await openOnce();
      if (closed) return;
      if (!ok) return scheduleRetry();
      failures = 0;
      if (live) tell(everyone(), 'resumed');
    }, delay);
    // Waiting for the database must not keep a process alive that has nothing else to do.
    retry.unref();
  }

  /** True once `channel` is listened to; false while the connection is down. */
  async function subscribe(channel: string): Promise<boolean> {
    if (!live) {
      // While a retry waits, its success tells everyone (this subscriber too) `'resumed'`.
      if (retry) return false;
      if (!(await openOnce())) {
        scheduleRetry();
        return false;
      }
    }
    const current = live;
    if (!current) return false;
    if (current.channels.has(channel)) return true;
    try {
      await current.client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      current.channels.add(channel);
      return live === current;
    } catch {
      // A connection that cannot LISTEN is no use: start over, and listen to everything again.
      lost(current.client);
      return false;
    }
  }

  return {
    async listen(channel, onPayload, listenOptions = {}) {
      if (closed) throw new Error('the database is closed');
      const subscriber: Subscriber = { onPayload, onGap: listenOptions.onGap, state: 'resumed' };
      let subscribers = channels.get(channel);
      if (!subscribers) {
        subscribers = new Set();
        channels.set(channel, subscribers);
      }
      subscribers.add(subscriber);
      if (!(await subscribe(channel))) tell([subscriber], 'lost');
      return async () => {
        const current = channels.get(channel);
        if (!current?.delete(subscriber) || current.size > 0) return;
        channels.delete(channel);
        if (live?.channels.delete(channel)) {
          await live.client.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => {});
        }
      };
    },

    async close() {
      closed = true;
      clearInterval(heartbeat);
      clearTimeout(retry);
      retry = undefined;
      channels.clear();
      const current = live;
      live = undefined;
      await opening;
      await current?.client.end().catch(() => {});
    },
  };
}
