import { join } from 'node:path';
import type { Database } from './database.ts';
import { migrate } from './migrate.ts';
import { openPostgresDatabase } from './pg-database.ts';
import { openPgliteDatabase } from './pglite-database.ts';

export interface OpenDatabaseOptions {
  /** PostgreSQL URL; PGlite in `dataDir/db` when absent. */
  databaseUrl?: string;
  /** Embedded state folder (default `./.airsuite`). */
  dataDir: string;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  /** Told once when the embedded database is created, which takes a few seconds. */
  onProgress?: (message: string) => void;
}

/** The database of this deployment, migrated: real PostgreSQL when configured, PGlite otherwise. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  let db: Database;
  if (options.databaseUrl) {
    db = await openPostgresDatabase({ connectionString: options.databaseUrl });
  } else {
    const dir = join(options.dataDir, 'db');
    options.onProgress?.(`Opening the embedded database in ${dir} (the first start takes a few seconds)…`);
    db = await openPgliteDatabase({ dataDir: dir });
  }
  if (options.migrate !== false) {
    try {
      await migrate(db);
    } catch (error) {
      await db.close();
      throw error;
    }
  }
  return db;
}
