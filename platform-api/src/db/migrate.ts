import { readdirSync, readFileSync } from 'node:fs';
import { Umzug, type UmzugStorage } from 'umzug';
import type { Database, Queryable } from './database.ts';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
const LOCK_KEY = 7_410_042;

export interface MigrationReport {
  applied: string[];
  /** Every migration now in the database, oldest first. */
  current: string[];
}

/** Umzug's ledger: one row per applied migration, in `airsuite_migrations`. */
function ledger(db: Queryable): UmzugStorage {
  return {
    async executed() {
      const rows = await db.query<{ name: string }>('SELECT name FROM airsuite_migrations ORDER BY name');
      return rows.map((row) => row.name);
    },
    async logMigration({ name }) {
      await db.query('INSERT INTO airsuite_migrations (name) VALUES ($1)', [name]);
    },
    async unlogMigration() {
      throw new Error('migrations are forward-only');
    },
  };
}

/**
 * Applies every SQL file in `migrations/` not yet applied, in name order, with its ledger
 * row, all in one transaction: a failing migration leaves the database as it was.
 * Forward-only; safe to run from several processes at once (a transaction-scoped advisory
 * lock serialises them on PostgreSQL).
 */
export async function migrate(db: Database): Promise<MigrationReport> {
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((file) => file.endsWith('.sql'))
    .sort();
  return db.transaction(async (tx) => {
    if (db.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await tx.query(
      'CREATE TABLE IF NOT EXISTS airsuite_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const storage = ledger(tx);
    const umzug = new Umzug({
      migrations: files.map((file) => ({
        name: file,
        async up() {
          const sql = readFileSync(new URL(file, MIGRATIONS_DIR), 'utf8');
          for (const statement of splitStatements(sql)) await tx.query(statement);
        },
      })),
      storage,
      logger: undefined,
    });
    const applied = await umzug.up();
    return { applied: applied.map((m) => m.name), current: await storage.executed({ context: {} }) };
  });
}

/** Splits a migration into statements: `;` at line end, outside comments. Our SQL has no functions. */
export function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}
