import { PGlite } from '@electric-sql/pglite';
import type { Database } from './database.ts';
import { createIsolatedSchema } from './isolated-schema.ts';
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
    const isolated = await createIsolatedSchema(url, 't');
    const db = await openPostgresDatabase({ connectionString: url, searchPath: isolated.schema, max: 5 });
    await migrate(db);
    return {
      db,
      async close() {
        await db.close();
        await isolated.drop();
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
