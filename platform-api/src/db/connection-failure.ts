import { isPlatformError, PlatformError } from '../errors.ts';

/** What a client is told to wait (`Retry-After`) when the database cannot be reached. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

/** Socket-level failures: the server is down, restarting, or the network between us is. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server that cut or refused the connection: 57P01 admin shutdown (also
 * `pg_terminate_backend`), 57P02 crash shutdown, 57P03 cannot connect now (starting up), 53300
 * too many connections. Class 08 (connection exception) is matched by prefix.
 */
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);

/**
 * `pg` and `pg-pool` raise these without any code, so their fixed texts are the only handle: a
 * socket closed under a query, a client that died earlier, a pool that could not connect in time.
 */
const DRIVER_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /is not queryable$/,
];

/**
 * True when `error` says the database could not be reached or dropped the connection (as
 * opposed to a statement it refused): the one place where pg's connection failures are told
 * apart. Such a failure is transient, so callers answer 503 and never blame the client.
 */
export function isConnectionFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, errors } = error as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || SERVER_CODES.has(code) || /^08/.test(code)))
    return true;
  if (typeof message === 'string' && DRIVER_MESSAGES.some((pattern) => pattern.test(message))) return true;
  // Node reports a refused connection to every address of a host as one AggregateError.
  return Array.isArray(errors) && errors.some(isConnectionFailure);
}

/** The DATABASE_UNAVAILABLE error (503, `Retry-After`) thrown for a connection failure. */
export function databaseUnavailable(cause: unknown): PlatformError {
  return new PlatformError(
    'DATABASE_UNAVAILABLE',
    'the database cannot be reached right now; try again in a moment',
    { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS },
    { cause },
  );
}

/** A connection failure (raw from pg, or already turned into DATABASE_UNAVAILABLE). */
export function isDatabaseUnavailable(error: unknown): boolean {
  return isPlatformError(error) ? error.code === 'DATABASE_UNAVAILABLE' : isConnectionFailure(error);
}

/** `error`, or DATABASE_UNAVAILABLE in its place when it is a connection failure. */
export function asDatabaseError(error: unknown): unknown {
  return !isPlatformError(error) && isConnectionFailure(error) ? databaseUnavailable(error) : error;
}
