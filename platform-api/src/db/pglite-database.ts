import { mkdirSync } from 'node:fs';
import { PGlite, type PGliteInterface } from '@electric-sql/pglite';
import type { Database, Queryable } from './database.ts';

/**
 * The embedded database: PGlite (PostgreSQL compiled to WebAssembly) in `dataDir`, or in
 * memory when no directory is given. One connection, so statements run one at a time;
 * PGlite serialises them itself.
 */
export async function openPgliteDatabase(options: { dataDir?: string } = {}): Promise<Database> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const pg = options.dataDir ? new PGlite(options.dataDir) : new PGlite();
  await pg.waitReady;
  return wrapPglite(pg);
}

/** Wraps an open PGlite instance (tests clone a migrated template this way). */
export function wrapPglite(pg: PGliteInterface): Database {
  const queryable = (target: Pick<PGliteInterface, 'query'>): Queryable => ({
    async query<R extends object>(sql: string, params: readonly unknown[] = []) {
      const result = await target.query<R>(sql, params as unknown[]);
      return result.rows;
    },
  });
  return {
    kind: 'pglite',
    ...queryable(pg),
    transaction: (work) => pg.transaction((tx) => work(queryable(tx))),
    async listen(channel, onPayload) {
      const stop = await pg.listen(channel, onPayload);
      return async () => stop();
    },
    async notify(channel, payload) {
      await pg.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async close() {
      if (!pg.closed) await pg.close();
    },
  };
}
