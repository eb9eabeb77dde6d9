import { describe, expect, it } from 'vitest';
import { PlatformError } from '../errors.ts';
import { INTERNAL_DETAIL, toProblem } from './problem.ts';

function fastifyError(code: string, statusCode: number, message = 'framework message'): Error {
  return Object.assign(new Error(message), { code, statusCode });
}

describe('toProblem', () => {
  it('maps a PlatformError to its status and code with an RFC 9457 body', () => {
    const problem = toProblem(new PlatformError('EMAIL_TAKEN', 'that email is registered'), 'req-1', '/v1/x');
    expect(problem.status).toBe(409);
    expect(problem.body).toEqual({
      type: 'https://airsuite.dev/problems/email-taken',
      title: expect.any(String),
      status: 409,
      code: 'EMAIL_TAKEN',
      detail: 'that email is registered',
      instance: '/v1/x',
      request_id: 'req-1',
    });
    expect(problem.headers).toEqual({});
  });

  it('spreads details in snake_case and sets Retry-After from retryAfterSeconds', () => {
    const problem = toProblem(
      new PlatformError('RATE_LIMITED', 'slow down', { retryAfterSeconds: 1.2, errors: [] }),
      'req-1',
    );
    expect(problem.status).toBe(429);
    expect(problem.body.retry_after_seconds).toBe(1.2);
    expect(problem.body.errors).toEqual([]);
    expect(problem.body).not.toHaveProperty('instance');
    expect(problem.headers['retry-after']).toBe('2');
  });

  it('never lets details override the problem members', () => {
    const problem = toProblem(
      new PlatformError('FORBIDDEN', 'no', { status: 200, code: 'OK', requestId: 'forged' }),
      'req-1',
    );
    expect(problem.body.status).toBe(403);
    expect(problem.body.code).toBe('FORBIDDEN');
    expect(problem.body.request_id).toBe('req-1');
  });

  it('hides the message and details of a PlatformError INTERNAL', () => {
    const problem = toProblem(new PlatformError('INTERNAL', 'db at 10.0.0.5 down', { host: 'x' }), 'r');
    expect(problem.status).toBe(500);
    expect(problem.body.detail).toBe(INTERNAL_DETAIL);
    expect(problem.body).not.toHaveProperty('host');
  });

  it.each([
    ['FST_ERR_CTP_INVALID_JSON_BODY', 400, 400, 'MALFORMED_JSON'],
    ['FST_ERR_CTP_EMPTY_JSON_BODY', 400, 400, 'MALFORMED_JSON'],
    ['FST_ERR_CTP_BODY_TOO_LARGE', 413, 413, 'BODY_TOO_LARGE'],
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['FST_ERR_BAD_URL', 400, 400, 'BAD_REQUEST'],
    ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400, 400, 'BAD_REQUEST'],
    ['FST_ERR_NOT_FOUND', 404, 404, 'NOT_FOUND'],
  ])('maps Fastify %s (%i) to %i %s', (code, statusCode, status, problemCode) => {
    const problem = toProblem(fastifyError(code, statusCode), 'r');
    expect(problem.status).toBe(status);
    expect(problem.body.code).toBe(problemCode);
  });

  it('maps a JSON SyntaxError flagged 400 to MALFORMED_JSON', () => {
    const error = Object.assign(new SyntaxError('Unexpected token } in JSON at position 1'), {
      statusCode: 400,
    });
    expect(toProblem(error, 'r').body.code).toBe('MALFORMED_JSON');
  });

  it('maps Ajv-style validation errors to VALIDATION_FAILED naming each field', () => {
    const error = Object.assign(fastifyError('FST_ERR_VALIDATION', 400), {
      validation: [
        {
          instancePath: '',
          params: { missingProperty: 'email' },
          message: "must have required property 'email'",
        },
        { instancePath: '/items/0/name', params: {}, message: 'must be string' },
      ],
      validationContext: 'querystring',
    });
    const problem = toProblem(error, 'r');
    expect(problem.status).toBe(400);
    expect(problem.body.code).toBe('VALIDATION_FAILED');
    expect(problem.body.errors).toEqual([
      { field: 'email', location: 'query', message: expect.any(String) },
      { field: 'items.0.name', location: 'query', message: expect.any(String) },
    ]);
  });

  it('keeps the status of another library’s 4xx error but not its message', () => {
    const problem = toProblem(Object.assign(new Error('token abc leaked'), { statusCode: 403 }), 'r');
    expect(problem.status).toBe(403);
    expect(problem.body.code).toBe('BAD_REQUEST');
    expect(problem.body.detail).not.toContain('abc');
  });

  it.each([
    ['a plain Error', new Error('secret sauce')],
    ['a 5xx Fastify error', fastifyError('FST_ERR_SOMETHING', 500, 'secret sauce')],
    ['a thrown string', 'secret sauce'],
    ['undefined', undefined],
    ['null', null],
    ['an object with a bogus statusCode', { statusCode: 'x', message: 'secret sauce' }],
  ])('maps %s to 500 INTERNAL without its message', (_label, thrown) => {
    const problem = toProblem(thrown, 'req-9');
    expect(problem.status).toBe(500);
    expect(problem.body.code).toBe('INTERNAL');
    expect(problem.body.detail).toBe(INTERNAL_DETAIL);
    expect(JSON.stringify(problem.body)).not.toContain('secret sauce');
    expect(problem.body.request_id).toBe('req-9');
  });
});
