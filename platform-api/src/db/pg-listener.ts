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

/** One listener's state: its subscribers, its connection, and its way back when the connection drops. */
interface ListenerState {
  newClient: () => pg.Client;
  initialMs: number;
  maxMs: number;
  random: () => number;
  channels: Map<string, Set<Subscriber>>;
  /** The connection that listens, the channels it listens on, whether a heartbeat is unanswered. */
  live: { client: pg.Client; channels: Set<string>; beating: boolean } | undefined;
  opening: Promise<boolean> | undefined;
  retry: NodeJS.Timeout | undefined;
  failures: number;
  closed: boolean;
}

function tell(subscribers: Iterable<Subscriber>, gap: NotificationGap): void {
  for (const subscriber of subscribers) {
    if (subscriber.state === gap) continue;
    subscriber.state = gap;
    try {
      subscriber.onGap?.(gap);
    } catch {
      // One subscriber's failure must not keep the others from hearing of the gap.
    }
  }
}

const everyone = (state: ListenerState) =>
  [...state.channels.values()].flatMap((subscribers) => [...subscribers]);

function lost(state: ListenerState, client: pg.Client): void {
  // A client still opening reports its failure through `open()`.
  if (state.live?.client !== client) return;
  state.live = undefined;
  client.end().catch(() => {});
  if (state.closed) return;
  tell(everyone(state), 'lost');
  scheduleRetry(state);
}

async function open(state: ListenerState): Promise<boolean> {
  const client = state.newClient();
  // Attached before anything else: a pg client that errors with no listener ends the process.
  client.on('error', () => lost(state, client));
  client.on('end', () => lost(state, client));
  client.on('notification', (message) => {
    if (state.live?.client !== client) return;
    for (const subscriber of state.channels.get(message.channel) ?? [])
      subscriber.onPayload(message.payload ?? '');
  });
  const listening = new Set<string>();
  try {
    await client.connect();
    // A live iteration: channels subscribed while this runs are listened to as well.
    for (const channel of state.channels.keys()) {
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      listening.add(channel);
    }
  } catch {
    client.end().catch(() => {});
    return false;
  }
  if (state.closed) {
    await client.end().catch(() => {});
    return false;
  }
  state.live = { client, channels: listening, beating: false };
  return true;
}

/** One heartbeat: asks the connection `SELECT 1`, or gives it up when the last one is unanswered. */
function beat(state: ListenerState): void {
  const current = state.live;
  if (!current) return;
  // The previous heartbeat never came back: the connection is as good as gone.
  if (current.beating) {
    lost(state, current.client);
    return;
  }
  current.beating = true;
  current.client.query('SELECT 1').then(
    () => {
      current.beating = false;
    },
    () => lost(state, current.client),
  );
}

function openOnce(state: ListenerState): Promise<boolean> {
  state.opening ??= open(state).finally(() => {
    state.opening = undefined;
  });
  return state.opening;
}

function scheduleRetry(state: ListenerState): void {
  if (state.closed || state.retry) return;
  const delay = Math.min(state.maxMs, state.initialMs * 2 ** state.failures) * (0.5 + state.random() / 2);
  state.failures += 1;
  state.retry = setTimeout(async () => {
    state.retry = undefined;
    const ok = await openOnce(state);
    if (state.closed) return;
    if (!ok) return scheduleRetry(state);
    state.failures = 0;
    if (state.live) tell(everyone(state), 'resumed');
  }, delay);
  // Waiting for the database must not keep a process alive that has nothing else to do.
  state.retry.unref();
}

/** True once `channel` is listened to; false while the connection is down. */
async function subscribe(state: ListenerState, channel: string): Promise<boolean> {
  if (!state.live) {
    // While a retry waits, its success tells everyone (this subscriber too) `'resumed'`.
    if (state.retry) return false;
    if (!(await openOnce(state))) {
      scheduleRetry(state);
      return false;
    }
  }
  const current = state.live;
  if (!current) return false;
  if (current.channels.has(channel)) return true;
  try {
    await current.client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    current.channels.add(channel);
    return state.live === current;
  } catch {
    // A connection that cannot LISTEN is no use: start over, and listen to everything again.
    lost(state, current.client);
    return false;
  }
}

async function listen(
  state: ListenerState,
  channel: string,
  onPayload: (payload: string) => void,
  listenOptions: ListenOptions = {},
): Promise<() => Promise<void>> {
  if (state.closed) throw new Error('the database is closed');
  const subscriber: Subscriber = { onPayload, onGap: listenOptions.onGap, state: 'resumed' };
  let subscribers = state.channels.get(channel);
  if (!subscribers) {
    subscribers = new Set();
    state.channels.set(channel, subscribers);
  }
  subscribers.add(subscriber);
  if (!(await subscribe(state, channel))) tell([subscriber], 'lost');
  return async () => {
    const current = state.channels.get(channel);
    if (!current?.delete(subscriber) || current.size > 0) return;
    state.channels.delete(channel);
    if (state.live?.channels.delete(channel)) {
      await state.live.client.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => {});
    }
  };
}

/**
 * Every LISTEN of one database on one connection of its own, outside the pool: the pool's
 * idle handling does not watch a connection held for good, so this one watches itself. When it
 * drops, every subscriber hears `'lost'`, a new connection is tried with backoff (forever,
 * until `close()`), and once it listens on every channel again they hear `'resumed'`.
 */
export function createPgListener(options: PgListenerOptions): PgListener {
  const state: ListenerState = {
    newClient: options.newClient,
    initialMs: options.retryInitialMs ?? LISTEN_RETRY_INITIAL_MS,
    maxMs: options.retryMaxMs ?? LISTEN_RETRY_MAX_MS,
    random: options.random ?? Math.random,
    channels: new Map(),
    live: undefined,
    opening: undefined,
    retry: undefined,
    failures: 0,
    closed: false,
  };
  const heartbeat = setInterval(() => beat(state), options.heartbeatMs ?? LISTEN_HEARTBEAT_MS);
  heartbeat.unref();
  return {
    listen: (channel, onPayload, listenOptions) => listen(state, channel, onPayload, listenOptions),
    async close() {
      state.closed = true;
      clearInterval(heartbeat);
      clearTimeout(state.retry);
      state.retry = undefined;
      state.channels.clear();
      const current = state.live;
      state.live = undefined;
      await state.opening;
      await current?.client.end().catch(() => {});
    },
  };
}
