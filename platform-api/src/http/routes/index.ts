import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../platform.ts';
import { apiKeyRoutes } from './api-key-routes.ts';
import { auditRoutes } from './audit-routes.ts';
import { installAuthHook } from './auth-hook.ts';
import { authRoutes } from './auth-routes.ts';
import { captureRoutes } from './capture-routes.ts';
import { connectionRoutes } from './connection-routes.ts';
import { installDeniedAuditHook } from './denied-audit-hook.ts';
import { eventStreamRoutes } from './event-stream-routes.ts';
import { memberRoutes } from './member-routes.ts';
import { metricsRoutes } from './metrics-routes.ts';
import { operationRoutes } from './operation-routes.ts';
import { pluginRoutes } from './plugin-routes.ts';
import { toolRoutes } from './tool-routes.ts';
import { webhookRoutes } from './webhook-routes.ts';
import { wellKnownRoutes } from './well-known-routes.ts';
import { workspaceRoutes } from './workspace-routes.ts';

/** Every route group of the platform API: `/v1/...` plus `/.well-known/jwks.json` and `/metrics`. */
export async function registerPlatformRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  installAuthHook(app, platform);
  installDeniedAuditHook(app, platform);
  await app.register(wellKnownRoutes(platform));
  await app.register(metricsRoutes(platform));
  for (const group of [
    authRoutes,
    workspaceRoutes,
    memberRoutes,
    apiKeyRoutes,
    connectionRoutes,
    auditRoutes,
    toolRoutes,
    operationRoutes,
    webhookRoutes,
    pluginRoutes,
    captureRoutes,
    eventStreamRoutes,
  ]) {
    await app.register(group(platform), { prefix: '/v1' });
  }
}
