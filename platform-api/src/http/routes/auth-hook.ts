import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PlatformError } from '../../errors.ts';
import { bearerFrom, type Platform } from '../../platform.ts';
import type { Principal } from '../../principal.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set for routes declared with `auth: 'required'`. */
    principal?: Principal;
  }
}

/** Authenticates every route declared `auth: 'required'` before validation runs. */
export function installAuthHook(app: FastifyInstance, platform: Platform): void {
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.auth !== 'required') return;
    request.principal = await platform.authenticate(bearerFrom(request.headers.authorization));
  });
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new PlatformError('AUTH_REQUIRED', 'sign in first');
  return request.principal;
}
