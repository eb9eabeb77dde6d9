import type { Database } from './db/database.ts';

/** How long a health check waits for the database before calling it unreachable. */
export const HEALTH_TIMEOUT_MS = 2_000;

/** What `/healthz` answers: 200 with `status: 'ok'`, else 503 with the part that is down. */
export type HealthReport =
  | { status: 'ok'; database: 'ok' }
  | { status: 'unavailable'; database: 'unreachable'; code: 'DATABASE_UNAVAILABLE' };

/**
 * Whether the database answers `SELECT 1` within `timeoutMs`. Any failure counts as
 * unreachable: a load balancer only needs to know whether to send this process requests.
 */
export async function checkHealth(db: Database, timeoutMs = HEALTH_TIMEOUT_MS): Promise<HealthReport> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    if (await Promise.race([db.query('SELECT 1').then(() => true), timedOut])) {
      return { status: 'ok', database: 'ok' };
    }
  } catch {
    // Reported below, like a timeout.
  } finally {
    clearTimeout(timer);
  }
  return { status: 'unavailable', database: 'unreachable', code: 'DATABASE_UNAVAILABLE' };
}
