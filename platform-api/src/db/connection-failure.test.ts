import { describe, expect, it } from 'vitest';
import { PlatformError } from '../errors.ts';
import { toProblem } from '../http/problem.ts';
import { asDatabaseError, isConnectionFailure, isDatabaseUnavailable } from './connection-failure.ts';

const withCode = (code: string) => Object.assign(new Error('x'), { code });

describe('telling a lost database from a refused statement', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['a reset connection', withCode('ECONNRESET')],
    ['an unknown host', withCode('ENOTFOUND')],
    ['pg_terminate_backend / shutdown (57P01)', withCode('57P01')],
    ['a crashed server (57P02)', withCode('57P02')],
    ['a server still starting (57P03)', withCode('57P03')],
    ['too many connections (53300)', withCode('53300')],
    ['a connection exception (08006)', withCode('08006')],
    ['a socket closed under a query', new Error('Connection terminated unexpectedly')],
    ['a connect that timed out', new Error('Connection terminated due to connection timeout')],
    ['a busy pool past its timeout', new Error('timeout exceeded when trying to connect')],
    [
      'a client that died earlier',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
    ['every address refused', Object.assign(new AggregateError([withCode('ECONNREFUSED')]), {})],
  ])('%s is a connection failure', (_name, error) => {
    expect(isConnectionFailure(error)).toBe(true);
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation (23505)', withCode('23505')],
    ['a syntax error (42601)', withCode('42601')],
    ['a platform error', new PlatformError('NOT_FOUND', 'x')],
    ['a plain error', new Error('boom')],
    ['not an error', 'ECONNREFUSED'],
  ])('%s is not', (_name, error) => {
    expect(isConnectionFailure(error)).toBe(false);
    expect(asDatabaseError(error)).toBe(error);
  });

  it('becomes a 503 DATABASE_UNAVAILABLE problem with Retry-After', () => {
    const problem = toProblem(asDatabaseError(withCode('57P01')), 'req_1', '/v1/me');
    expect(problem.status).toBe(503);
    expect(problem.body.code).toBe('DATABASE_UNAVAILABLE');
    expect(Number(problem.headers['retry-after'])).toBeGreaterThan(0);
  });
});
