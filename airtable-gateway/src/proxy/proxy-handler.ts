import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayEngine } from '../engine.ts';
import { GatewayError } from '../errors.ts';
import { type GatewayResponse, PRIORITIES, type Priority } from '../request.ts';
import { splitPlainTarget, type TargetParts } from '../upstream/plain-target.ts';
import type { GatewayServerOptions } from './server.ts';

/** A proxy caller's queue priority (`interactive`, `normal`, `bulk`); `normal` when absent or unknown. */
export const PRIORITY_HEADER = 'x-airsuite-priority';

/** The request headers Airtable gets; the others stay here. */
const FORWARDED_HEADERS = ['content-type', 'user-agent', 'x-airtable-user-agent', 'x-api-version'];

/**
 * The proxy's answer to one request: `/v0/...` goes through the engine, unchanged in paths,
 * bodies and errors; `/healthz` and `/metrics` are answered here. Made once per server.
 */
export function proxyHandler(
  options: GatewayServerOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { engine } = options;
  const maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;

  return async (req, res) => {
    const { path, search } = targetOf(req.url ?? '/');
    if (path === '/healthz') {
      send(res, 200, JSON.stringify({ ok: true, limiter: engine.limiterMode() }));
      return;
    }
    if (path === '/metrics' && req.method === 'GET') {
      const text = await engine.metrics.registry.metrics();
      res.writeHead(200, { 'content-type': engine.metrics.registry.contentType });
      res.end(text);
      return;
    }
    const priority = priorityOf(req);
    if (!path.startsWith('/v0/')) {
      send(res, 404, JSON.stringify({ error: 'NOT_FOUND' }));
      return;
    }
    const token = bearer(req.headers.authorization);
    if (!token) {
      // Airtable's own answer to a missing token; nothing is sent upstream.
      send(
        res,
        401,
        JSON.stringify({ error: { type: 'AUTHENTICATION_REQUIRED', message: 'Authentication required' } }),
      );
      return;
    }
    const aborted = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) aborted.abort();
    });
    const requestId = (req.headers['x-request-id'] as string | undefined) ?? randomUUID();
    const headers = forwardedHeaders(req);
    const answer = await engine.request({
      method: req.method ?? 'GET',
      path,
      search,
      token,
      body: hasBody(req) ? await readBody(req, maxBodyBytes) : undefined,
      headers,
      priority,
      allowCache: options.recordCache ?? false,
      signal: aborted.signal,
      requestId,
    });
    sendAnswer(res, answer, requestId);
  };
}

/**
 * The answer when handling a request threw, unless one has begun: the gateway's own errors
 * as they are (a cancelled request gets none, its caller is gone), anything else logged and
 * reported as the gateway's failure, never the caller's.
 */
export function answerFailure(res: ServerResponse, error: unknown, log: GatewayEngine['options']['logger']) {
  if (res.headersSent) return;
  if (error instanceof GatewayError) {
    if (error.code !== 'GATEWAY_ABORTED') sendError(res, error);
    return;
  }
  log.error({ err: error }, 'gateway proxy failure');
  sendError(
    res,
    new GatewayError('GATEWAY_UPSTREAM_UNAVAILABLE', { message: 'The gateway failed unexpectedly' }),
  );
}

function priorityOf(req: IncomingMessage): Priority {
  const asked = req.headers[PRIORITY_HEADER];
  return typeof asked === 'string' && (PRIORITIES as readonly string[]).includes(asked)
    ? (asked as Priority)
    : 'normal';
}

function forwardedHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

/** Airtable's answer as it came, with the request's id and where the answer came from. */
function sendAnswer(res: ServerResponse, answer: GatewayResponse, requestId: string) {
  const headers: Record<string, string | number> = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(answer.body),
  };
  for (const name in answer.headers) headers[name] = answer.headers[name] as string;
  headers['x-request-id'] = requestId;
  headers['x-airsuite-source'] = answer.source;
  res.writeHead(answer.status, headers);
  res.end(answer.body);
}

function sendError(res: ServerResponse, error: GatewayError) {
  const headers: Record<string, string> = {};
  if (error.retryAfterMs !== undefined)
    headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
  send(res, error.status, JSON.stringify(error.toBody()), headers);
}

/** Path and query of the request target, as the URL parser gives them (parsed only when it must be). */
function targetOf(raw: string): TargetParts {
  const plain = splitPlainTarget(raw);
  if (plain) return plain;
  const url = new URL(raw, 'http://gateway.local');
  return { path: url.pathname, search: url.search };
}

/** Only these framings carry a request body (RFC 9112 §6.3): without either, there is none to read. */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

async function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit)
      throw new GatewayError('GATEWAY_INVALID_REQUEST', {
        message: `Request body exceeds ${limit} bytes`,
        upstreamStatus: 413,
      });
    chunks.push(chunk as Buffer);
  }
  return size === 0 ? undefined : Buffer.concat(chunks).toString('utf8');
}

function bearer(header: string | undefined): string | undefined {
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return m?.[1];
}
