import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Database } from '../db/database.ts';
import { openDatabase } from '../db/open-database.ts';

/**
 * Real faults for the PostgreSQL specs: a database whose every connection (pool and LISTEN)
 * carries an application_name of its own, so a spec terminates only its own backends and never
 * another spec's or the shared server's; and a worker child process that says when it is ready.
 */

/** The database at `url` (an isolated schema's), every connection named `name`; not migrated. */
export function openNamedDatabase(url: string, name: string): Promise<Database> {
  const named = new URL(url);
  named.searchParams.set('application_name', name);
  return openDatabase({ databaseUrl: named.toString(), dataDir: '/tmp/airsuite-unused', migrate: false });
}

/**
 * Terminates every backend named `name` (pg_terminate_backend, from `db`'s own connection): how
 * many there were, and how many were listening (their last statement a LISTEN).
 */
export async function terminateBackendsNamed(
  db: Database,
  name: string,
): Promise<{ terminated: number; listening: number }> {
  const rows = await db.query<{ terminated: boolean; listening: boolean }>(
    `SELECT pg_terminate_backend(pid, 5000) AS terminated, query ILIKE 'LISTEN%' AS listening
     FROM pg_stat_activity
     WHERE datname = current_database() AND application_name = $1 AND pid <> pg_backend_pid()`,
    [name],
  );
  const cut = rows.filter((row) => row.terminated);
  return { terminated: cut.length, listening: cut.filter((row) => row.listening).length };
}

/** `node --import tsx script` with `env`, once it prints `ready` (rejects if it exits first). */
export async function spawnReadyChild(script: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before it was ready`)));
  });
  return child;
}

/** Sends `signal` (SIGTERM: a clean stop; SIGKILL: a crash) and waits for the exit; an exited child is left alone. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}
