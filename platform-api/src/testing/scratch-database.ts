import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A database of its own in a PostgreSQL server, for specs that cut connections: they may
 * terminate every backend of this database and never touch the shared one (`test`) where the
 * other spec files run in parallel.
 */
export interface ScratchDatabase {
  name: string;
  /** The server's URL with this database in it. */
  url: string;
  /** `pg_terminate_backend` for every connection to this database; resolves with how many. */
  terminateBackends(): Promise<number>;
  /** Connections to this database whose last statement was a LISTEN: the listeners that are back. */
  listeners(): Promise<number>;
  /** Drops the database (`WITH (FORCE)`, whoever is still connected). */
  drop(): Promise<void>;
}

/** Creates `<prefix>_<random>` in the server of `serverUrl` (any database on it, e.g. DATABASE_URL). */
export async function createScratchDatabase(serverUrl: string, prefix: string): Promise<ScratchDatabase> {
  if (!/^[a-z][a-z0-9_]{0,30}$/.test(prefix)) throw new Error(`createScratchDatabase: bad prefix ${prefix}`);
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  // The admin connection lives in the server's own database, so terminating `name`'s backends spares it.
  const admin = new pg.Client({ connectionString: serverUrl });
  admin.on('error', () => {});
  await admin.connect();
  await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  url.searchParams.delete('options');
  return {
    name,
    url: url.toString(),
    async terminateBackends() {
      const { rows } = await admin.query(
        `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
          WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [name],
      );
      return rows.length;
    },
    async listeners() {
      const { rows } = await admin.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND query ILIKE 'LISTEN %'`,
        [name],
      );
      return rows[0]?.n ?? 0;
    },
    async drop() {
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await admin.end().catch(() => {});
      }
    },
  };
}
