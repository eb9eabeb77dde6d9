import { requireAccess, type Scope } from '../http/auth.ts';
import { errors } from '../http/errors.ts';
import type { RouteResponse, Router } from '../http/router.ts';
import type { BaseData } from '../model/store.ts';
import { parseCreateBody, type WebhookSpecification } from '../webhooks/specification.ts';
import type { WebhookData } from '../webhooks/types.ts';
import { MAX_PAYLOADS_PER_CALL } from '../webhooks/webhook-store.ts';
import { baseFor, bodyObject, type V0Extra, type V0Request } from './v0-request.ts';

/**
 * Airtable's webhooks API. `webhook:manage` for every call; creating a webhook and reading its
 * payloads also need the read scope of what it watches: `data.records:read` for tableData,
 * `schema.bases:read` for tableFields and tableMetadata.
 */
function dataScopes(spec: WebhookSpecification): Scope[] {
  const types = spec.options.filters.dataTypes;
  const scopes: Scope[] = [];
  if (types.includes('tableData')) scopes.push('data.records:read');
  if (types.includes('tableFields') || types.includes('tableMetadata')) scopes.push('schema.bases:read');
  return scopes;
}

function webhookJson(req: V0Request, hook: WebhookData): Record<string, unknown> {
  return {
    id: hook.id,
    areNotificationsEnabled: hook.areNotificationsEnabled,
    cursorForNextPayload: hook.cursorForNextPayload,
    isHookEnabled: req.extra.ctx.webhooks.isActive(hook),
    lastSuccessfulNotificationTime: hook.lastSuccessfulNotificationTime,
    notificationUrl: hook.notificationUrl,
    expirationTime: hook.expirationTime,
    lastNotificationResult: hook.lastNotificationResult,
    specification: structuredClone(hook.specification),
  };
}

function hookOf(req: V0Request): { base: BaseData; hook: WebhookData } {
  const base = baseFor(req, 'webhook:manage');
  return { base, hook: req.extra.ctx.webhooks.get(base.id, req.params.webhookId as string) };
}

function create(req: V0Request): RouteResponse {
  const base = baseFor(req, 'webhook:manage');
  // Airtable: "Creator level permissions are required in order to register a webhook."
  if (base.permissionLevel !== 'create') throw errors.invalidPermissions('create webhooks in this base');
  const input = parseCreateBody(base, req.body);
  for (const scope of dataScopes(input.specification)) requireAccess(req.extra.grant, scope, base.id);
  const hook = req.extra.ctx.webhooks.create(base, input);
  return {
    status: 200,
    body: { id: hook.id, macSecretBase64: hook.macSecretBase64, expirationTime: hook.expirationTime },
  };
}

/** `cursor` (default 1) and `limit` (1–50, default 50), as positive integers in the query. */
function pageParams(req: V0Request): { cursor: number; limit: number } {
  const number = (name: string, fallback: number, max: number) => {
    const raw = req.query[name];
    if (raw === undefined) return fallback;
    const value = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < 1 || value > max)
      throw errors.invalidRequest(`Invalid request: ${name} must be an integer from 1 to ${max}`);
    return value;
  };
  return {
    cursor: number('cursor', 1, Number.MAX_SAFE_INTEGER),
    limit: number('limit', MAX_PAYLOADS_PER_CALL, MAX_PAYLOADS_PER_CALL),
  };
}

function listPayloads(req: V0Request): RouteResponse {
  const { base, hook } = hookOf(req);
  for (const scope of dataScopes(hook.specification)) requireAccess(req.extra.grant, scope, base.id);
  const { cursor, limit } = pageParams(req);
  return { status: 200, body: req.extra.ctx.webhooks.payloads(hook, cursor, limit) };
}

function enableNotifications(req: V0Request): RouteResponse {
  const { hook } = hookOf(req);
  const body = bodyObject(req.body);
  const unknown = Object.keys(body).find((k) => k !== 'enable');
  if (typeof body.enable !== 'boolean' || unknown !== undefined)
    throw errors.invalidRequest('Invalid request: the body must be {"enable": true|false}');
  req.extra.ctx.webhooks.setNotifications(hook, body.enable);
  return { status: 200, body: {} };
}

export function registerWebhookRoutes(router: Router<V0Extra>): void {
  router
    .on('GET', '/v0/bases/:baseId/webhooks', (req) => {
      const base = baseFor(req, 'webhook:manage');
      const hooks = req.extra.ctx.webhooks.list(base.id);
      return { status: 200, body: { webhooks: hooks.map((hook) => webhookJson(req, hook)) } };
    })
    .on('POST', '/v0/bases/:baseId/webhooks', create)
    .on('DELETE', '/v0/bases/:baseId/webhooks/:webhookId', (req) => {
      const { hook } = hookOf(req);
      req.extra.ctx.webhooks.delete(hook);
      return { status: 200, body: {} };
    })
    .on('POST', '/v0/bases/:baseId/webhooks/:webhookId/refresh', (req) => {
      const { hook } = hookOf(req);
      return { status: 200, body: { expirationTime: req.extra.ctx.webhooks.refresh(hook) } };
    })
    .on('POST', '/v0/bases/:baseId/webhooks/:webhookId/enableNotifications', enableNotifications)
    .on('GET', '/v0/bases/:baseId/webhooks/:webhookId/payloads', listPayloads);
}
