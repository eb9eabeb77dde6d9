import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayEngine } from '../engine.ts';
import { GatewayError } from '../errors.ts';
import { type GatewayResponse, PRIORITIES, type Priority } from '../request.ts';
import { splitPlainTarget, type TargetParts } from '../upstream/plain-target.ts';

export interface GatewayServerOptions {
  engine: GatewayEngine;
  port?: number;
  host?: string;
  /** Let proxied record reads use the engine's short-lived record cache. Default false. */
  recordCache?: boolean;
  /** Largest request body accepted (Airtable's own limit is undocumented). Default 10 MiB. */
  maxBodyBytes?: number;
}

export interface RunningGatewayServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** A proxy caller's queue priority (`interactive`, `normal`, `bulk`); `normal` when absent or unknown. */
export const PRIORITY_HEADER = 'x-airsuite-priority';

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

/**
 * The Airtable-compatible proxy: `/v0/...` is Airtable's API with the gateway's
 * guarantees, unchanged in paths, bodies and errors; `/healthz` and `/metrics` beside it.
 */
export async function startGatewayServer(options: GatewayServerOptions): Promise<RunningGatewayServer> {
  const { engine } = options;
  const log = engine.options.logger;
  const maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
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
    const asked = req.headers[PRIORITY_HEADER];
    const priority: Priority =
      typeof asked === 'string' && (PRIORITIES as readonly string[]).includes(asked)
        ? (asked as Priority)
        : 'normal';
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
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'user-agent', 'x-airtable-user-agent', 'x-api-version']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
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

  // Node's default 16 KiB header limit would refuse long list URLs that the gateway can move to POST.
  const server = createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
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
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8002, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
