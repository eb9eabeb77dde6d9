import { randomBytes } from 'node:crypto';
import { type Database, openDatabase } from '@airsuite/platform-api';
import pg from 'pg';

async function runSql(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

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
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  await runSql(adminUrl, `CREATE SCHEMA ${schema}`);
  const url = new URL(adminUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const db = await openDatabase({ databaseUrl: url.toString(), dataDir });
  return {
    db,
    async drop() {
      await db.close();
      await runSql(adminUrl, `DROP SCHEMA ${schema} CASCADE`);
    },
  };
}
