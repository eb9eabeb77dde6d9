import pg from 'pg';
import type { Database, Queryable } from './database.ts';

export interface PostgresOptions {
  connectionString: string;
  /** Pool size; default 10. */
  max?: number;
  /** Tables are looked up here first (tests use a schema per run). */
  searchPath?: string;
}

/** PostgreSQL through a `pg` pool. */
export async function openPostgresDatabase(options: PostgresOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
  });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const listeners = new Map<
    string,
    Promise<{ client: pg.PoolClient; handlers: Set<(payload: string) => void> }>
  >();
  const query = async <R extends object>(
    target: pg.Pool | pg.PoolClient,
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<R[]> => (await target.query(sql, params as unknown[])).rows as R[];

  await query(pool, 'SELECT 1');
  return {
    kind: 'postgres',
    query: (sql, params) => query(pool, sql, params),
    async transaction(work) {
      const client = await pool.connect();
      const tx: Queryable = { query: (sql, params) => query(client, sql, params) };
      try {
        await client.query('BEGIN');
        const result = await work(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async listen(channel, onPayload) {
      // The entry is a promise, so two subscribers arriving together share one LISTEN client.
      let pending = listeners.get(channel);
      if (!pending) {
        pending = (async () => {
          const client = await pool.connect();
          const handlers = new Set<(payload: string) => void>();
          client.on('notification', (message) => {
            if (message.channel !== channel) return;
            for (const handler of handlers) handler(message.payload ?? '');
          });
          await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
          return { client, handlers };
        })();
        listeners.set(channel, pending);
        pending.catch(() => listeners.delete(channel));
      }
      const entry = await pending;
      entry.handlers.add(onPayload);
      return async () => {
        entry.handlers.delete(onPayload);
        if (entry.handlers.size > 0 || listeners.get(channel) !== pending) return;
        listeners.delete(channel);
        await entry.client.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => {});
        entry.client.release();
      };
    },
    async notify(channel, payload) {
      await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async close() {
      const open = [...listeners.values()];
      listeners.clear();
      for (const entry of open) (await entry.catch(() => undefined))?.client.release();
      await pool.end();
    },
  };
}
