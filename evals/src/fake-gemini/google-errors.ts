import type { ServerResponse } from 'node:http';
import { errorEnvelope, type GoogleRpcError, invalidArgument } from './wire.ts';

export const JSON_HEADERS = { 'content-type': 'application/json; charset=UTF-8' } as const;

/** Answers with Google's error envelope; a 429 with `retryAfterSeconds` also carries RetryInfo. */
export function sendError(res: ServerResponse, error: GoogleRpcError, retryAfterSeconds?: number): void {
  if (res.headersSent || res.destroyed) return;
  const retry = error.code === 429 && retryAfterSeconds !== undefined;
  const details = retry
    ? [
        ...(error.details ?? []),
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfterSeconds}s` },
      ]
    : error.details;
  res.writeHead(error.code, {
    ...JSON_HEADERS,
    ...(retry ? { 'retry-after': String(retryAfterSeconds) } : {}),
  });
  res.end(JSON.stringify(errorEnvelope({ ...error, ...(details ? { details } : {}) })));
}

/** Google's answers to a missing or wrong API key. */
export function authError(sent: string | undefined): GoogleRpcError {
  if (sent === undefined) {
    return {
      code: 403,
      status: 'PERMISSION_DENIED',
      message:
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
    };
  }
  return invalidArgument('API key not valid. Please pass a valid API key.', [
    {
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'API_KEY_INVALID',
      domain: 'googleapis.com',
      metadata: { service: 'generativelanguage.googleapis.com' },
    },
  ]);
}

/** The fake's own 500, for what went wrong on its side rather than the caller's. */
export function internalError(message: string): GoogleRpcError {
  return { code: 500, status: 'INTERNAL', message };
}
