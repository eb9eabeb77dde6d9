import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../platform.ts';
import { describeEventTypes } from '../../webhooks/events/catalogue.ts';
import { defineRoute, registerRoute } from '../define-route.ts';
import { principalOf } from './auth-hook.ts';
import { problems, snake, workspaceParams } from './schemas.ts';
import { registerWebhookDeliveryRoutes } from './webhook-delivery-routes.ts';
import {
  createWebhookBody,
  eventTypeSchema,
  rotateSecretBody,
  updateWebhookBody,
  webhookParams,
  webhookSchema,
  webhookWithSecretSchema,
} from './webhook-schemas.ts';

/**
 * Outbound webhooks over REST: the event catalogue, and endpoints (admins and owners manage
 * them); their delivery log, replays and test events are in webhook-delivery-routes.ts. Every
 * event is signed per Standard Webhooks with the endpoint's secret.
 */

const listEventTypesRoute = () =>
  defineRoute({
    method: 'GET',
    url: '/webhooks/event-types',
    summary: 'List webhook event types',
    description:
      'Every event an endpoint may subscribe to, with the JSON Schema of its whole envelope (`id`, `type`, `version`, `timestamp`, `workspace_id`, `actor`, `cause`, `data`). Any signed-in caller.',
    tags: ['webhooks'],
    operationId: 'listWebhookEventTypes',
    auth: 'required',
    response: { 200: z.object({ event_types: z.array(eventTypeSchema) }), ...problems },
    async handler(request) {
      principalOf(request);
      return { event_types: describeEventTypes() };
    },
  });

const createWebhookRoute = (platform: Platform) =>
  defineRoute({
    method: 'POST',
    url: '/workspaces/:id/webhooks',
    summary: 'Create a webhook endpoint',
    description:
      'Admins and owners. Events matching `event_types` are POSTed to `url`, signed with the `secret` in this response only: store it now. The URL must reach a public address (WEBHOOK_URL_FORBIDDEN otherwise).',
    tags: ['webhooks'],
    operationId: 'createWebhook',
    auth: 'required',
    params: workspaceParams,
    body: createWebhookBody,
    response: { 201: webhookWithSecretSchema, ...problems },
    async handler(request, reply) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      const { url, event_types, description, headers } = request.body;
      const { endpoint, secret } = await platform.webhooks.endpoints.create(
        access,
        {
          url,
          eventTypes: event_types,
          ...(description !== undefined ? { description } : {}),
          ...(headers !== undefined ? { headers } : {}),
        },
        request.id,
      );
      return reply.code(201).send({ ...snake(endpoint), secret });
    },
  });

const listWebhooksRoute = (platform: Platform) =>
  defineRoute({
    method: 'GET',
    url: '/workspaces/:id/webhooks',
    summary: 'List webhook endpoints',
    description: 'Admins and owners. Never a secret, nor the values of custom headers.',
    tags: ['webhooks'],
    operationId: 'listWebhooks',
    auth: 'required',
    params: workspaceParams,
    response: { 200: z.object({ webhooks: z.array(webhookSchema) }), ...problems },
    async handler(request) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      return { webhooks: (await platform.webhooks.endpoints.list(access)).map(snake) };
    },
  });

const getWebhookRoute = (platform: Platform) =>
  defineRoute({
    method: 'GET',
    url: '/workspaces/:id/webhooks/:webhookId',
    summary: 'Get a webhook endpoint',
    description: 'Admins and owners. Never its secret, nor the values of its custom headers.',
    tags: ['webhooks'],
    operationId: 'getWebhook',
    auth: 'required',
    params: webhookParams,
    response: { 200: webhookSchema, ...problems },
    async handler(request) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      return snake(await platform.webhooks.endpoints.get(access, request.params.webhookId));
    },
  });

const updateWebhookRoute = (platform: Platform) =>
  defineRoute({
    method: 'PATCH',
    url: '/workspaces/:id/webhooks/:webhookId',
    summary: 'Change a webhook endpoint',
    description:
      'Admins and owners. Only the fields given change. `enabled: false` stops deliveries and cancels the messages waiting; `enabled: true` turns it back on (replay what was cancelled if you need it).',
    tags: ['webhooks'],
    operationId: 'updateWebhook',
    auth: 'required',
    params: webhookParams,
    body: updateWebhookBody,
    response: { 200: webhookSchema, ...problems },
    async handler(request) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      const { url, event_types, description, headers, enabled } = request.body;
      const endpoint = await platform.webhooks.endpoints.update(
        access,
        request.params.webhookId,
        {
          ...(url !== undefined ? { url } : {}),
          ...(event_types !== undefined ? { eventTypes: event_types } : {}),
          ...(description !== undefined ? { description } : {}),
          ...(headers !== undefined ? { headers } : {}),
          ...(enabled !== undefined ? { enabled } : {}),
        },
        request.id,
      );
      return snake(endpoint);
    },
  });

const deleteWebhookRoute = (platform: Platform) =>
  defineRoute({
    method: 'DELETE',
    url: '/workspaces/:id/webhooks/:webhookId',
    summary: 'Delete a webhook endpoint',
    description: 'Admins and owners. Nothing more is sent to it; its message log goes with it.',
    tags: ['webhooks'],
    operationId: 'deleteWebhook',
    auth: 'required',
    params: webhookParams,
    response: { 204: null, ...problems },
    async handler(request, reply) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      await platform.webhooks.endpoints.remove(access, request.params.webhookId, request.id);
      return reply.code(204).send();
    },
  });

const rotateSecretRoute = (platform: Platform) =>
  defineRoute({
    method: 'POST',
    url: '/workspaces/:id/webhooks/:webhookId/rotate-secret',
    summary: 'Rotate a webhook signing secret',
    description:
      'Admins and owners. A new secret, in this response only. For `overlap_seconds` (default one day, at most 7 days) every delivery carries a signature with each secret, so receivers can switch without missing an event.',
    tags: ['webhooks'],
    operationId: 'rotateWebhookSecret',
    auth: 'required',
    params: webhookParams,
    body: rotateSecretBody,
    response: { 200: webhookWithSecretSchema, ...problems },
    async handler(request) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      const { endpoint, secret } = await platform.webhooks.endpoints.rotateSecret(
        access,
        request.params.webhookId,
        request.body?.overlap_seconds,
        request.id,
      );
      return { ...snake(endpoint), secret };
    },
  });

export function webhookRoutes(platform: Platform) {
  return async (app: FastifyInstance) => {
    registerRoute(app, listEventTypesRoute());
    registerRoute(app, createWebhookRoute(platform));
    registerRoute(app, listWebhooksRoute(platform));
    registerRoute(app, getWebhookRoute(platform));
    registerRoute(app, updateWebhookRoute(platform));
    registerRoute(app, deleteWebhookRoute(platform));
    registerRoute(app, rotateSecretRoute(platform));
    registerWebhookDeliveryRoutes(app, platform);
  };
}
