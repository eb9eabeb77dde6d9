import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Database } from './database.ts';
import { migrate } from './migrate.ts';
import { openPostgresDatabase } from './pg-database.ts';
import { wrapPglite } from './pglite-database.ts';

export interface TestDatabase {
  db: Database;
  /** Drops the schema (PostgreSQL) or the in-memory instance (PGlite). */
  close(): Promise<void>;
}

let template: Promise<PGlite> | undefined;

/**
 * A fresh, migrated database for one test file: a private schema in the real PostgreSQL
 * when DATABASE_URL is set (CI), otherwise a clone of one migrated in-memory PGlite
 * (creating a PGlite takes seconds; cloning is much cheaper).
 */
export async function openTestDatabase(env: NodeJS.ProcessEnv = process.env): Promise<TestDatabase> {
  const url = env.DATABASE_URL;
  if (url) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const db = await openPostgresDatabase({ connectionString: url, searchPath: schema, max: 5 });
    await migrate(db);
    return {
      db,
      async close() {
        await db.close();
        const cleanup = new pg.Client({ connectionString: url });
        await cleanup.connect();
        await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
        await cleanup.end();
      },
    };
  }
  template ??= (async () => {
    const pglite = new PGlite();
    await pglite.waitReady;
    await migrate(wrapPglite(pglite));
    return pglite;
  })();
  const db = wrapPglite(await (await template).clone());
  return { db, close: () => db.close() };
}
