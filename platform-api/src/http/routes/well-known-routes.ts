import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../platform.ts';
import { defineRoute, registerRoute } from '../define-route.ts';

export function wellKnownRoutes(platform: Platform) {
  return async (app: FastifyInstance) => {
    registerRoute(
      app,
      defineRoute({
        method: 'GET',
        url: '/.well-known/jwks.json',
        summary: 'Public keys of access tokens',
        description:
          'EdDSA (Ed25519) keys, by `kid`; retired keys stay listed until tokens they signed have expired.',
        tags: ['auth'],
        operationId: 'getJwks',
        auth: 'none',
        response: { 200: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }) },
        async handler(_request, reply) {
          reply.header('cache-control', 'public, max-age=300');
          return (await platform.jwks()) as { keys: Record<string, unknown>[] };
        },
      }),
    );
  };
}
