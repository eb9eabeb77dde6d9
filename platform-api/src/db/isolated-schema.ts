import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface IsolatedSchema {
  schema: string;
  /** `databaseUrl` with `search_path` set to the schema: every connection opened with it works there. */
  url: string;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

async function runSql(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  // A connection cut mid-statement must fail the statement, not end the process.
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A new, empty schema of its own in the PostgreSQL at `databaseUrl`, for specs and
 * benchmarks that must not meet each other's rows (or the public schema's). `prefix` names
 * who made it, so a leftover is easy to trace.
 */
export async function createIsolatedSchema(databaseUrl: string, prefix: string): Promise<IsolatedSchema> {
  if (!/^[a-z][a-z0-9_]{0,30}$/.test(prefix)) throw new Error(`createIsolatedSchema: bad prefix ${prefix}`);
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  await runSql(databaseUrl, `CREATE SCHEMA ${schema}`);
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { schema, url: url.toString(), drop: () => runSql(databaseUrl, `DROP SCHEMA ${schema} CASCADE`) };
}
