/** The SQL both drivers (pg and PGlite) understand: `$1` parameters, rows as plain objects. */
export interface Queryable {
  query<R extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

/** What `listen`'s `onGap` is told; see {@link ListenOptions}. */
export type NotificationGap = 'lost' | 'resumed';

export interface ListenOptions {
  /**
   * Told when notifications may go unheard: `'lost'` as soon as the LISTEN connection drops
   * (nothing is heard until further notice), `'resumed'` once it listens again. Whatever was sent
   * in between is gone for good, so a cache kept fresh by these notifications must drop
   * everything at both and serve nothing in between. Each change is told once, in turn
   * (`'lost'`, `'resumed'`, `'lost'`…). PGlite never calls it: it runs in this
   * process and has no connection to lose.
   */
  onGap?: (gap: NotificationGap) => void;
}

/**
 * The platform's database: PostgreSQL through `pg` when DATABASE_URL is set, PGlite
 * (Postgres in WebAssembly) otherwise. Services only ever see this interface. A statement that
 * cannot reach the server (down, restarting, connection cut) fails with the PlatformError
 * `DATABASE_UNAVAILABLE` (503), never with the driver's own error.
 */
export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `work` in one transaction (BEGIN … COMMIT, ROLLBACK when it throws). */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Listens to NOTIFY on `channel` (cache invalidation across processes). Returns the
   * unsubscribe function. A lost LISTEN connection is re-opened (with backoff, until `close()`)
   * and re-subscribed; `options.onGap` hears about the time in between. Resolves even while the
   * database is down (the subscriber is then told `'lost'` at once).
   */
  listen(
    channel: string,
    onPayload: (payload: string) => void,
    options?: ListenOptions,
  ): Promise<() => Promise<void>>;
  notify(channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
}
