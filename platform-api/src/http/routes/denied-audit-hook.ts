import type { FastifyInstance } from 'fastify';
import { isPlatformError } from '../../errors.ts';
import type { Platform } from '../../platform.ts';
import { actorOf } from '../../principal.ts';

/**
 * A member trying something their role forbids is a security event (OWASP ASVS 16.3): it
 * lands in the workspace's audit trail as `access.denied`, naming the operation. Strangers
 * get 404 and leave no trace in a workspace they cannot see.
 */
export function installDeniedAuditHook(app: FastifyInstance, platform: Platform): void {
  app.addHook('onError', async (request, _reply, error) => {
    if (!isPlatformError(error) || error.code !== 'FORBIDDEN') return;
    const principal = request.principal;
    const workspaceId = (request.params as { id?: unknown } | undefined)?.id;
    if (!principal || typeof workspaceId !== 'string') return;
    const operation =
      (request.routeOptions.schema as { operationId?: string } | undefined)?.operationId ?? 'unknown';
    await platform.audit
      .record({
        workspaceId,
        actor: actorOf(principal),
        action: 'access.denied',
        target: { type: 'operation', id: operation },
        outcome: 'denied',
        errorCode: error.code,
        requestId: request.id,
        details: {
          method: request.method,
          ...(error.details?.required_role ? { required_role: error.details.required_role } : {}),
        },
      })
      .catch((failure: unknown) => request.log.error({ err: failure }, 'could not record a denied request'));
  });
}
