import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { Logger } from 'pino';
import { PlatformError } from '../errors.ts';
import type { HealthReport } from '../health.ts';
import { registerApiIndex } from './api-index.ts';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem.ts';

/** 1 MiB: enough for any JSON the API accepts; larger bodies get 413 `BODY_TOO_LARGE`. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
export const DEFAULT_API_TITLE = 'AirSuite Platform API';
export const DEFAULT_API_VERSION = '1.0.0';
/** An incoming `x-request-id` is kept only when it is this tame; otherwise a UUID is made. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
export const REQUEST_ID_HEADER = 'x-request-id';

export interface HttpAppOptions {
  /** A pino logger for request logs, or `false` (the default) for none. */
  logger?: Logger | false;
  /** Largest accepted request body in bytes. Default {@link DEFAULT_BODY_LIMIT_BYTES}. */
  bodyLimitBytes?: number;
  /** Browser origins allowed by CORS (`'*'` for any). CORS is off when empty or absent. */
  corsOrigins?: readonly string[];
  /** Trust `X-Forwarded-*` from a reverse proxy (for `request.ip`, `request.protocol`). Default false. */
  trustProxy?: boolean;
  /** OpenAPI `info.title`. Default {@link DEFAULT_API_TITLE}. */
  title?: string;
  /** OpenAPI `info.version`. Default {@link DEFAULT_API_VERSION}. */
  version?: string;
  /**
   * What `/healthz` checks (the platform's database): 200 when the report says `ok`, 503
   * otherwise. Without it `/healthz` only says the process is up.
   */
  health?: () => Promise<HealthReport>;
  /**
   * Where the API's index is served (JSON for API clients, a redirect to `/docs` for browsers).
   * Default `['/', '/v1']`; leave `/` out when something else owns it (the chat's web page).
   */
  indexUrls?: readonly string[];
}

/** The options that can be wrong, checked before anything is built. */
function checkedLimits(options: HttpAppOptions): { bodyLimit: number; corsOrigins: string[] } {
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  if (!Number.isSafeInteger(bodyLimit) || bodyLimit <= 0) {
    throw new RangeError(`bodyLimitBytes must be a positive integer, got ${bodyLimit}`);
  }
  const corsOrigins = [...(options.corsOrigins ?? [])];
  if (corsOrigins.some((origin) => typeof origin !== 'string' || origin.length === 0)) {
    throw new TypeError('corsOrigins must be non-empty strings');
  }
  return { bodyLimit, corsOrigins };
}

/** Fastify with our logger, body limit and request ids (kept from `x-request-id` when tame, echoed back). */
function newFastify(options: HttpAppOptions, bodyLimit: number): FastifyInstance {
  const logger: FastifyBaseLogger | undefined = options.logger || undefined;
  const app: FastifyInstance = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    bodyLimit,
    trustProxy: options.trustProxy ?? false,
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'request_id' }),
    genReqId: (req) => {
      const incoming = req.headers[REQUEST_ID_HEADER];
      return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
    },
    // Bad URL encoding and over-long params are rejected before routing; answer them as problems too.
    frameworkErrors: (error, request, reply) => sendProblem(error, request, reply),
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  return app;
}

/**
 * JSON is the only body format. An empty body is "no body", so body-less POSTs (logout)
 * work whatever content type the client sent; routes that need a body reject it by schema.
 */
function acceptJsonOnly(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text === '') {
      done(null, undefined);
      return;
    }
    parseJson(request, text, done);
  });
}

/** Every failure, an unknown route included, answered as problem+json. */
function answerWithProblems(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => sendProblem(error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      new PlatformError('NOT_FOUND', `no route matches ${request.method} ${pathOf(request.url)}`),
      request,
      reply,
    ),
  );
}

/** Security headers, and CORS for the origins given (none: no CORS). */
function registerBrowserPolicy(app: FastifyInstance, corsOrigins: string[]): void {
  app.register(helmet, {
    contentSecurityPolicy: {
      // helmet's defaults already fit swagger-ui (same-origin scripts, inline styles, data: images);
      // no upgrade-insecure-requests, so /docs still loads when served over plain http on a LAN.
      directives: { upgradeInsecureRequests: null },
    },
  });
  if (corsOrigins.length > 0) {
    app.register(cors, {
      origin: corsOrigins.includes('*') ? '*' : corsOrigins,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', REQUEST_ID_HEADER],
      exposedHeaders: [REQUEST_ID_HEADER, 'retry-after'],
      maxAge: 600,
    });
  }
}

/** OpenAPI at `/openapi.json`, docs at `/docs`. */
function registerDocs(app: FastifyInstance, options: HttpAppOptions): void {
  app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: options.title ?? DEFAULT_API_TITLE,
        version: options.version ?? DEFAULT_API_VERSION,
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'A user access token from signing in, or a workspace API key (`ask_live_…`).',
          },
        },
      },
    },
  });
  app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { validatorUrl: null } });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

/** The API's index and `/healthz`. */
function registerIndexAndHealth(app: FastifyInstance, options: HttpAppOptions): void {
  registerApiIndex(app, options.indexUrls ?? ['/', '/v1'], {
    name: options.title ?? DEFAULT_API_TITLE,
    version: options.version ?? DEFAULT_API_VERSION,
  });
  const health = options.health;
  app.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
    if (!health) return { status: 'ok' };
    const report = await health();
    return reply.code(report.status === 'ok' ? 200 : 503).send(report);
  });
}

/**
 * The platform's Fastify instance with the cross-cutting parts in place (request ids, security
 * headers, CORS, JSON-only bodies, problem+json errors, OpenAPI at `/openapi.json`, docs at
 * `/docs`, `/healthz`, an index at `/` and `/v1`) and no API routes. Register route groups before `ready()`/`listen()`:
 * `app.register(plugin, { prefix: '/v1' })`.
 */
export function createHttpApp(options: HttpAppOptions = {}): FastifyInstance {
  const { bodyLimit, corsOrigins } = checkedLimits(options);
  const app = newFastify(options, bodyLimit);
  acceptJsonOnly(app);
  answerWithProblems(app);
  registerBrowserPolicy(app, corsOrigins);
  registerDocs(app, options);
  registerIndexAndHealth(app, options);
  return app;
}

function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = toProblem(error, request.id, pathOf(request.url));
  if (problem.status >= 500) {
    request.log.error({ err: error }, 'request failed');
  } else {
    request.log.info({ code: problem.body.code, status: problem.status }, 'request rejected');
  }
  return reply
    .code(problem.status)
    .header(REQUEST_ID_HEADER, request.id)
    .headers(problem.headers)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problem.body));
}

/** The path without its query string: queries may carry values that do not belong in an error body. */
function pathOf(url: string): string {
  const end = url.indexOf('?');
  return end === -1 ? url : url.slice(0, end);
}
