import pg from 'pg';
import { asDatabaseError, isDatabaseUnavailable } from './connection-failure.ts';
import type { Database, Queryable } from './database.ts';
import { createPgListener } from './pg-listener.ts';

/** How long a statement waits for a connection before it fails as DATABASE_UNAVAILABLE. */
export const DEFAULT_CONNECTION_TIMEOUT_MS = 5_000;

export interface PostgresOptions {
  connectionString: string;
  /** Pool size; default 10. */
  max?: number;
  /** Tables are looked up here first (tests use a schema per run). */
  searchPath?: string;
  /**
   * How long to wait for a connection (a new one, or a free one of a busy pool) before the
   * statement fails as DATABASE_UNAVAILABLE instead of hanging. Default
   * {@link DEFAULT_CONNECTION_TIMEOUT_MS}.
   */
  connectionTimeoutMillis?: number;
  /** How often the LISTEN connection is checked for a silent loss; default 15 s (`LISTEN_HEARTBEAT_MS`). */
  listenHeartbeatMillis?: number;
}

/**
 * PostgreSQL through a `pg` pool. A server that goes away costs 503s (DATABASE_UNAVAILABLE),
 * never the process: every connection held outside the pool's idle handling (a transaction's,
 * the LISTEN one) has an error listener, a broken one is destroyed rather than reused, and LISTEN
 * comes back by itself.
 */
export async function openPostgresDatabase(options: PostgresOptions): Promise<Database> {
  const connection: pg.ClientConfig = {
    connectionString: options.connectionString,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? DEFAULT_CONNECTION_TIMEOUT_MS,
    // Lets the kernel notice a server that vanished without closing the socket.
    keepAlive: true,
    ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
  };
  const pool = new pg.Pool({ ...connection, max: options.max ?? 10 });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const listener = createPgListener({
    newClient: () => new pg.Client(connection),
    ...(options.listenHeartbeatMillis ? { heartbeatMs: options.listenHeartbeatMillis } : {}),
  });
  const query = async <R extends object>(
    target: pg.Pool | pg.PoolClient,
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<R[]> => {
    try {
      return (await target.query(sql, params as unknown[])).rows as R[];
    } catch (error) {
      throw asDatabaseError(error);
    }
  };

  // Opening reports the driver's own error (host, port, password…): it is the operator's to read.
  await pool.query('SELECT 1');
  return {
    kind: 'postgres',
    query: (sql, params) => query(pool, sql, params),
    async transaction(work) {
      const client = await pool.connect().catch((error: unknown) => {
        throw asDatabaseError(error);
      });
      // Set when the connection broke: the client is then destroyed, never handed out again.
      let broken: Error | undefined;
      // A checked-out client has no listener of the pool's: without this one, a server that
      // drops the connection mid-transaction raises an unhandled 'error' and ends the process.
      const onError = (error: Error) => {
        broken ??= error;
      };
      client.on('error', onError);
      const tx: Queryable = { query: (sql, params) => query(client, sql, params) };
      try {
        await query(client, 'BEGIN');
        const result = await work(tx);
        await query(client, 'COMMIT');
        return result;
      } catch (error) {
        if (isDatabaseUnavailable(error))
          broken ??= error instanceof Error ? error : new Error(String(error));
        if (!broken) {
          await client.query('ROLLBACK').catch((rollbackFailed: Error) => {
            broken ??= rollbackFailed;
          });
        }
        throw asDatabaseError(error);
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    listen: (channel, onPayload, listenOptions) => listener.listen(channel, onPayload, listenOptions),
    async notify(channel, payload) {
      await query(pool, 'SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async close() {
      await listener.close();
      await pool.end();
    },
  };
}
