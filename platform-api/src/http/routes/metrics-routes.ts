import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../platform.ts';

/**
 * Prometheus `/metrics`, beside `/healthz` and outside `/v1`: no credentials, like the gateway's,
 * because a scraper has none; the numbers name no workspace, endpoint or person.
 */
export function metricsRoutes(platform: Platform) {
  return async (app: FastifyInstance) => {
    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
      const text = await platform.metrics.metrics();
      return reply.type(platform.metrics.contentType).send(text);
    });
  };
}
