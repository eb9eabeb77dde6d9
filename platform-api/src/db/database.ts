/** The SQL both drivers (pg and PGlite) understand: `$1` parameters, rows as plain objects. */
export interface Queryable {
  query<R extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

/**
 * The platform's database: PostgreSQL through `pg` when DATABASE_URL is set, PGlite
 * (Postgres in WebAssembly) otherwise. Services only ever see this interface.
 */
export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `work` in one transaction (BEGIN … COMMIT, ROLLBACK when it throws). */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Listens to NOTIFY on `channel` (cache invalidation across processes). Returns the
   * unsubscribe function.
   */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  notify(channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
}
