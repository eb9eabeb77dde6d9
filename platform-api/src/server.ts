import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createHttpApp } from './http/create-app.ts';
import { registerPlatformRoutes } from './http/routes/index.ts';
import type { Platform } from './platform.ts';

export interface PlatformAppOptions {
  platform: Platform;
  logger?: Logger | false;
  corsOrigins?: readonly string[];
  bodyLimitBytes?: number;
  trustProxy?: boolean;
  /**
   * More route groups under `/v1`, from packages above the platform (the orchestrator's
   * conversations), so one OpenAPI document describes the whole API.
   */
  extraRoutes?: readonly ((app: FastifyInstance) => Promise<void>)[];
  /**
   * Plugins registered at the root, after the API (e.g. the chat's web page at `/`). With any,
   * `/` is theirs: the API's index is then served at `/v1` only.
   */
  rootPlugins?: readonly ((app: FastifyInstance) => Promise<void>)[];
  /** OpenAPI `info.title`. */
  title?: string;
}

/** The REST API as a Fastify instance, ready for `inject()` (tests) or `listen()`. */
export async function buildPlatformApp(options: PlatformAppOptions): Promise<FastifyInstance> {
  const app = createHttpApp({
    logger: options.logger ?? false,
    ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
    ...(options.bodyLimitBytes ? { bodyLimitBytes: options.bodyLimitBytes } : {}),
    ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}),
    ...(options.title ? { title: options.title } : {}),
    health: () => options.platform.health(),
    ...(options.rootPlugins?.length ? { indexUrls: ['/v1'] } : {}),
  });
  await registerPlatformRoutes(app, options.platform);
  for (const routes of options.extraRoutes ?? []) await app.register(routes, { prefix: '/v1' });
  for (const plugin of options.rootPlugins ?? []) await app.register(plugin);
  await app.ready();
  return app;
}

/** A Fastify app listening on a port: the platform's, or an app built on it (the chat's). */
export interface RunningHttpServer {
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  port: number;
  app: FastifyInstance;
  close(): Promise<void>;
}

export type RunningPlatformServer = RunningHttpServer;

/** Starts `app` listening on `host`:`port` (0 picks a free port) and says where. */
export async function listenHttpApp(
  app: FastifyInstance,
  host: string,
  port: number,
): Promise<RunningHttpServer> {
  await app.listen({ port, host });
  const bound = (app.server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    port: bound,
    app,
    close: () => app.close(),
  };
}

export async function startPlatformServer(
  options: PlatformAppOptions & { port?: number; host?: string },
): Promise<RunningPlatformServer> {
  return listenHttpApp(await buildPlatformApp(options), options.host ?? '127.0.0.1', options.port ?? 8080);
}
