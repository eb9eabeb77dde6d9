import { describe, expect, it } from 'vitest';
import { usePlatformRig } from '../../testing/platform-rig.ts';

const rig = usePlatformRig();

/** The paths the issue promises to clients and scripts, in OpenAPI's `{param}` form. */
const CORE = [
  ['post', '/v1/auth/register'],
  ['post', '/v1/auth/login'],
  ['post', '/v1/auth/refresh'],
  ['post', '/v1/auth/logout'],
  ['get', '/v1/me'],
  ['post', '/v1/workspaces'],
  ['get', '/v1/workspaces'],
  ['get', '/v1/workspaces/{id}'],
  ['patch', '/v1/workspaces/{id}'],
  ['delete', '/v1/workspaces/{id}'],
  ['post', '/v1/workspaces/{id}/members'],
  ['get', '/v1/workspaces/{id}/members'],
  ['patch', '/v1/workspaces/{id}/members/{userId}'],
  ['delete', '/v1/workspaces/{id}/members/{userId}'],
  ['post', '/v1/workspaces/{id}/api-keys'],
  ['get', '/v1/workspaces/{id}/api-keys'],
  ['delete', '/v1/workspaces/{id}/api-keys/{keyId}'],
  ['post', '/v1/workspaces/{id}/connections'],
  ['get', '/v1/workspaces/{id}/connections'],
  ['delete', '/v1/workspaces/{id}/connections/{connectionId}'],
  ['get', '/v1/workspaces/{id}/audit'],
  ['get', '/v1/workspaces/{id}/tools'],
  ['post', '/v1/workspaces/{id}/tools/{name}'],
  ['get', '/v1/webhooks/event-types'],
  ['post', '/v1/workspaces/{id}/webhooks'],
  ['get', '/v1/workspaces/{id}/webhooks'],
  ['get', '/v1/workspaces/{id}/webhooks/{webhookId}'],
  ['patch', '/v1/workspaces/{id}/webhooks/{webhookId}'],
  ['delete', '/v1/workspaces/{id}/webhooks/{webhookId}'],
  ['post', '/v1/workspaces/{id}/webhooks/{webhookId}/rotate-secret'],
  ['get', '/v1/workspaces/{id}/webhooks/{webhookId}/messages'],
  ['post', '/v1/workspaces/{id}/webhooks/{webhookId}/replay'],
  ['get', '/v1/workspaces/{id}/webhooks/{webhookId}/health'],
  ['post', '/v1/workspaces/{id}/webhooks/{webhookId}/test'],
  ['get', '/v1/workspaces/{id}/webhook-messages/{messageId}'],
  ['post', '/v1/workspaces/{id}/webhook-messages/{messageId}/replay'],
  ['post', '/v1/workspaces/{id}/plugin-versions'],
  ['get', '/v1/workspaces/{id}/plugin-versions'],
  ['post', '/v1/workspaces/{id}/plugins'],
  ['get', '/v1/workspaces/{id}/plugins'],
  ['get', '/v1/workspaces/{id}/plugins/{name}'],
  ['patch', '/v1/workspaces/{id}/plugins/{name}'],
  ['delete', '/v1/workspaces/{id}/plugins/{name}'],
  ['put', '/v1/workspaces/{id}/plugins/{name}/version'],
  ['post', '/v1/workspaces/{id}/plugins/{name}/rollback'],
  ['post', '/v1/workspaces/{id}/plugins/{name}/functions/{function}'],
  ['get', '/v1/workspaces/{id}/plugin-settings'],
  ['patch', '/v1/workspaces/{id}/plugin-settings'],
  ['get', '/v1/workspaces/{id}/plugin-keys'],
  ['post', '/v1/workspaces/{id}/plugin-keys'],
  ['delete', '/v1/workspaces/{id}/plugin-keys/{keyId}'],
] as const;

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and documents every core path with its security', async () => {
    const response = await rig.call('GET', '/openapi.json');
    expect(response.statusCode).toBe(200);
    const doc = response.json() as {
      openapi: string;
      paths: Record<string, Record<string, { operationId?: string; security?: unknown[] }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    for (const [method, path] of CORE) {
      const operation = doc.paths[path]?.[method];
      expect(operation, `${method.toUpperCase()} ${path}`).toBeDefined();
      expect(operation?.operationId).toBeTruthy();
      const open = path.startsWith('/v1/auth/') && method === 'post' && !path.endsWith('logout');
      expect(operation?.security, `${method} ${path} security`).toEqual(open ? undefined : [{ bearer: [] }]);
    }
  });
});
