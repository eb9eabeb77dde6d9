import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { type CreateMcpServerOptions, createMcpServer } from './create-mcp-server.ts';
import { McpConfigError } from './errors.ts';
import { hasBearerToken, isHostAllowed, isOriginAllowed } from './http-guards.ts';
import { McpAuthError, type McpAuthenticator, type McpIdentity } from './identity.ts';
import { ServedTools } from './served-tools.ts';

export const DEFAULT_MCP_PORT = 8001;
export const DEFAULT_MCP_HOST = '127.0.0.1';
export const MCP_PATH = '/mcp';
/** Largest JSON-RPC body accepted (the SDK's own default). */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

interface McpHttpListenOptions {
  /** Default 8001; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** A new server and transport per request, no Mcp-Session-Id. Default false (sessions). */
  stateless?: boolean;
  /** Browser origins allowed besides http(s)://localhost|127.0.0.1|[::1]. */
  allowedOrigins?: readonly string[];
  /** Host header values allowed besides localhost, 127.0.0.1 and [::1]. */
  allowedHosts?: readonly string[];
  name?: string;
  version?: string;
  onInternalError?: (error: unknown, where: string) => void;
}

/** One deployment identity: every request must carry `Authorization: Bearer <authToken>`. */
export interface McpStaticAuthOptions extends McpHttpListenOptions, CreateMcpServerOptions {
  authToken: string;
}

/** Per-caller identities (the platform's API keys and access tokens), checked on every request. */
export interface McpPlatformAuthOptions extends McpHttpListenOptions {
  authenticate: McpAuthenticator;
}

export type McpHttpServerOptions = McpStaticAuthOptions | McpPlatformAuthOptions;

export interface RunningMcpHttpServer {
  /** e.g. http://127.0.0.1:8001/mcp */
  url: string;
  port: number;
  /** Open sessions (always 0 in stateless mode). */
  sessionCount(): number;
  close(): Promise<void>;
}

interface Session {
  server: McpServer;
  transport: StreamableHTTPServerTransport;
  subject: string;
  served: ServedTools;
  workspaceId?: string;
  catalogue?: McpIdentity['catalogue'];
}

const STATIC_SUBJECT = 'deployment';

function jsonRpcError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers = {},
  data?: Record<string, unknown>,
): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message, ...(data ? { data } : {}) }, id: null }));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new RangeError('body too large');
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** What every request of one running server shares. */
interface HttpContext {
  options: McpHttpServerOptions;
  /** Open sessions by Mcp-Session-Id (empty in stateless mode). */
  sessions: Map<string, Session>;
  allowedHosts: readonly string[];
  allowedOrigins: readonly string[];
}

function serverFor({ options }: HttpContext, identity: McpIdentity, served?: ServedTools): McpServer {
  return createMcpServer({
    tools: identity.tools,
    policy: identity.policy,
    contextFor: identity.contextFor,
    ...(served ? { served } : {}),
    ...(options.name ? { name: options.name } : {}),
    ...(options.version ? { version: options.version } : {}),
    ...(options.onInternalError ? { onInternalError: options.onInternalError } : {}),
  });
}

/** The authenticator's refusal as the client gets it: status, stable code, and when to retry. */
function refuse(res: ServerResponse, error: McpAuthError): void {
  jsonRpcError(
    res,
    error.status,
    error.status >= 500 ? -32603 : -32001,
    `${error.code}: ${error.message}`,
    {
      ...(error.status === 401
        ? { 'www-authenticate': `Bearer realm="airsuite-mcp", error="invalid_token"` }
        : {}),
      ...(error.retryAfterSeconds !== undefined ? { 'retry-after': String(error.retryAfterSeconds) } : {}),
    },
    { code: error.code },
  );
}

/** Who the request speaks for; answers 401/403/404 itself and returns undefined when refused. */
async function identify(
  { options }: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<McpIdentity | undefined> {
  if ('authToken' in options) {
    if (!hasBearerToken(req, options.authToken)) {
      jsonRpcError(res, 401, -32001, 'Unauthorized: send Authorization: Bearer <MCP_AUTH_TOKEN>', {
        'www-authenticate': 'Bearer realm="airsuite-mcp"',
      });
      return undefined;
    }
    return {
      subject: STATIC_SUBJECT,
      tools: options.tools,
      policy: options.policy,
      contextFor: options.contextFor,
    };
  }
  try {
    return await options.authenticate(req.headers);
  } catch (error) {
    if (!(error instanceof McpAuthError)) throw error;
    refuse(res, error);
    return undefined;
  }
}

/** A request of an open session, or the initialize that opens one for this identity. */
async function handleStateful(
  ctx: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  identity: McpIdentity,
): Promise<void> {
  const { sessions } = ctx;
  const header = req.headers['mcp-session-id'];
  const sessionId = Array.isArray(header) ? header[0] : header;
  if (sessionId !== undefined) {
    const session = sessions.get(sessionId);
    // Another caller's session id is treated as unknown: it must not learn the session exists.
    if (!session || session.subject !== identity.subject)
      return jsonRpcError(res, 404, -32001, 'Session not found');
    // Every request brings the identity's catalogue as it is now: a change reaches the client.
    if (session.served.replace(identity.tools, identity.policy)) toolListChanged(ctx, session);
    return session.transport.handleRequest(req, res, body);
  }
  if (req.method !== 'POST' || !isInitializeRequest(body)) {
    return jsonRpcError(res, 400, -32000, 'Bad Request: no valid Mcp-Session-Id; send initialize first');
  }
  const served = new ServedTools(identity.tools, identity.policy);
  const server = serverFor(ctx, identity, served);
  const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => {
      sessions.set(id, {
        server,
        transport,
        subject: identity.subject,
        served,
        ...(identity.workspaceId ? { workspaceId: identity.workspaceId } : {}),
        ...(identity.catalogue ? { catalogue: identity.catalogue } : {}),
      });
    },
    onsessionclosed: (id) => {
      sessions.delete(id);
    },
  });
  transport.onclose = () => {
    if (transport.sessionId) sessions.delete(transport.sessionId);
  };
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
}

/** `notifications/tools/list_changed` on the session's standing stream (dropped by the SDK when none is open). */
function toolListChanged(ctx: HttpContext, session: Session): void {
  session.server.server.sendToolListChanged().catch((error: unknown) => {
    ctx.options.onInternalError?.(error, 'tools/list_changed');
  });
}

/** A workspace's catalogue changed (every one's, when none is named): its open sessions re-read theirs. */
function refreshSessions(ctx: HttpContext, workspaceId: string | undefined): void {
  for (const session of ctx.sessions.values()) {
    const { catalogue } = session;
    if (!catalogue || (workspaceId !== undefined && session.workspaceId !== workspaceId)) continue;
    // A catalogue that cannot be read now (database down) is read again on the session's next request.
    catalogue().then(
      ({ tools, policy }) => {
        if (session.served.replace(tools, policy)) toolListChanged(ctx, session);
      },
      () => {},
    );
  }
}

/** One request, one server and transport, both closed with the response. */
async function handleStateless(
  ctx: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  identity: McpIdentity,
): Promise<void> {
  if (req.method !== 'POST') {
    return jsonRpcError(res, 405, -32000, 'Method not allowed: this server is stateless', {
      allow: 'POST',
    });
  }
  const server = serverFor(ctx, identity);
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
}

/** Host and Origin checks, the health probe, then `/mcp`: identity, body, session handling. */
async function handle(ctx: HttpContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (!isHostAllowed(req.headers.host, ctx.allowedHosts))
    return jsonRpcError(res, 403, -32000, 'Forbidden: Host not allowed');
  if (!isOriginAllowed(req.headers.origin, ctx.allowedOrigins)) {
    return jsonRpcError(res, 403, -32000, 'Forbidden: Origin not allowed');
  }
  if (url.pathname === '/healthz' && req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"ok"}');
    return;
  }
  if (url.pathname !== MCP_PATH) return jsonRpcError(res, 404, -32000, 'Not found: the MCP endpoint is /mcp');
  const identity = await identify(ctx, req, res);
  if (!identity) return;
  let body: unknown;
  if (req.method === 'POST') {
    try {
      body = await readJson(req);
    } catch (error) {
      if (error instanceof RangeError) return jsonRpcError(res, 413, -32600, 'Request body too large');
      return jsonRpcError(res, 400, -32700, 'Parse error');
    }
  }
  if (ctx.options.stateless) return handleStateless(ctx, req, res, body, identity);
  return handleStateful(ctx, req, res, body, identity);
}

function listen(http: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
}

/** Streamable HTTP at `/mcp`: bearer auth, Host/Origin checks, sessions or stateless. */
export async function startMcpHttpServer(options: McpHttpServerOptions): Promise<RunningMcpHttpServer> {
  if ('authToken' in options && !options.authToken) {
    throw new McpConfigError(
      'MCP_MISSING_AUTH_TOKEN',
      'MCP_AUTH_TOKEN is not set: the HTTP transport requires a bearer token',
    );
  }
  const sessions = new Map<string, Session>();
  const ctx: HttpContext = {
    options,
    sessions,
    allowedHosts: options.allowedHosts ?? [],
    allowedOrigins: options.allowedOrigins ?? [],
  };
  const http = createServer((req, res) => {
    handle(ctx, req, res).catch((error: unknown) => {
      options.onInternalError?.(error, 'http');
      jsonRpcError(res, 500, -32603, 'Internal error');
    });
  });
  const unwatch =
    'authenticate' in options && !options.stateless
      ? options.authenticate.watchCatalogues?.((workspaceId) => refreshSessions(ctx, workspaceId))
      : undefined;
  const host = options.host ?? DEFAULT_MCP_HOST;
  await listen(http, options.port ?? DEFAULT_MCP_PORT, host).catch((error: unknown) => {
    unwatch?.();
    throw error;
  });
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}${MCP_PATH}`,
    port,
    sessionCount: () => sessions.size,
    async close() {
      unwatch?.();
      const open = [...sessions.values()];
      sessions.clear();
      await Promise.all(open.map(async (s) => s.transport.close().then(() => s.server.close())));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
