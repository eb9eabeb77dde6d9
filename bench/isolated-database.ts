import { createIsolatedSchema, type Database, openDatabase } from '@airsuite/platform-api';

/**
 * The benchmark's database: a schema of this run's own in the PostgreSQL of DATABASE_URL
 * (so earlier runs, made with other secret keys, are not in the way), else PGlite in `dataDir`.
 */
export async function openBenchDatabase(dataDir: string): Promise<{ db: Database; drop(): Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const db = await openDatabase({ dataDir });
    return { db, drop: () => db.close() };
  }
  const isolated = await createIsolatedSchema(adminUrl, 'bench');
  const db = await openDatabase({ databaseUrl: isolated.url, dataDir });
  return {
    db,
    async drop() {
      await db.close();
      await isolated.drop();
    },
  };
}
