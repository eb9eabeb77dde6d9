import {
  buildPlatformApp,
  type HttpAppOptions,
  listenHttpApp,
  type Platform,
  type RunningHttpServer,
} from '@airsuite/platform-api';
import type { FastifyInstance } from 'fastify';
import type { ChatService } from '../chat-service.ts';
import { PAGE_VENDOR_FILES } from '../web-root.ts';
import { conversationRoutes } from './conversation-routes.ts';
import { staticFiles } from './static-files.ts';

export const DEFAULT_ORCHESTRATOR_PORT = 8003;
export const DEFAULT_ORCHESTRATOR_HOST = '127.0.0.1';
export const ORCHESTRATOR_API_TITLE = 'AirSuite Chat API';

export interface OrchestratorAppOptions {
  platform: Platform;
  chat: ChatService;
  /** A pino logger for request logs, or `false` (the default) for none. */
  logger?: HttpAppOptions['logger'];
  /** Browser origins allowed by CORS (`'*'` for any); off when absent. */
  corsOrigins?: readonly string[];
  /**
   * A directory with the web page: `GET /` serves its `index.html`, `GET /<file>` its other
   * files, and `GET /vendor/…` the packages the page imports (see `staticFiles`,
   * PAGE_VENDOR_FILES). Without it `GET /` is 404.
   */
  webRoot?: string;
}

export interface OrchestratorServerOptions extends OrchestratorAppOptions {
  /** Default {@link DEFAULT_ORCHESTRATOR_PORT}; 0 picks a free port. */
  port?: number;
  /** Default {@link DEFAULT_ORCHESTRATOR_HOST}. */
  host?: string;
}

export type RunningOrchestratorServer = RunningHttpServer;

/**
 * The chat's HTTP face as a ready Fastify instance (for `inject()`): the platform's API
 * (sign-in, workspaces, problem+json, `/openapi.json`, `/docs`), the conversation routes
 * under `/v1`, and the web page when `webRoot` is set.
 */
export async function buildOrchestratorApp(options: OrchestratorAppOptions): Promise<FastifyInstance> {
  // The page signs in and lists workspaces on its own origin, so the chat's server carries
  // the platform's API too (one OpenAPI document describes both).
  return buildPlatformApp({
    platform: options.platform,
    logger: options.logger ?? false,
    title: ORCHESTRATOR_API_TITLE,
    ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
    extraRoutes: [conversationRoutes({ platform: options.platform, chat: options.chat })],
    rootPlugins: options.webRoot === undefined ? [] : [staticFiles(options.webRoot, PAGE_VENDOR_FILES)],
  });
}

/** Listens on `host:port` (127.0.0.1:8003 by default); `close()` stops it. */
export async function startOrchestratorServer(
  options: OrchestratorServerOptions,
): Promise<RunningOrchestratorServer> {
  return listenHttpApp(
    await buildOrchestratorApp(options),
    options.host ?? DEFAULT_ORCHESTRATOR_HOST,
    options.port ?? DEFAULT_ORCHESTRATOR_PORT,
  );
}
