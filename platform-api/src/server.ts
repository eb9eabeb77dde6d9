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
  /** Plugins registered at the root, after the API (e.g. the chat's web page at `/`). */
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
  });
  await registerPlatformRoutes(app, options.platform);
  for (const routes of options.extraRoutes ?? []) await app.register(routes, { prefix: '/v1' });
  for (const plugin of options.rootPlugins ?? []) await app.register(plugin);
  await app.ready();
  return app;
}

export interface RunningPlatformServer {
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  port: number;
  app: FastifyInstance;
  close(): Promise<void>;
}

export async function startPlatformServer(
  options: PlatformAppOptions & { port?: number; host?: string },
): Promise<RunningPlatformServer> {
  const app = await buildPlatformApp(options);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 8080, host });
  const port = (app.server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    app,
    close: () => app.close(),
  };
}
