import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../platform.ts';
import { defineRoute, registerRoute } from '../define-route.ts';
import { principalOf } from './auth-hook.ts';
import { problems, snake } from './schemas.ts';
import {
  attemptJson,
  healthSchema,
  listMessagesQuery,
  messageJson,
  messageParams,
  messageSchema,
  messageWithAttemptsSchema,
  replayFailedBody,
  webhookParams,
} from './webhook-schemas.ts';

/** What was sent to a webhook endpoint and what came back: the message log, replays, health, test events. */

const listMessagesRoute = (platform: Platform) =>
  defineRoute({
    method: 'GET',
    url: '/workspaces/:id/webhooks/:webhookId/messages',
    summary: 'List webhook messages',
    description:
      'Admins and owners. One message per event sent to this endpoint, newest first, with its state and last answer; `state=dead` finds what exhausted its retries.',
    tags: ['webhooks'],
    operationId: 'listWebhookMessages',
    auth: 'required',
    params: webhookParams,
    query: listMessagesQuery,
    response: {
      200: z.object({ messages: z.array(messageSchema), next_cursor: z.string().optional() }),
      ...problems,
    },
    async handler(request) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      const { state, limit, cursor } = request.query;
      const page = await platform.webhooks.deliveries.list(access, request.params.webhookId, {
        ...(state ? { state } : {}),
        ...(limit ? { limit } : {}),
        ...(cursor ? { cursor } : {}),
      });
      return {
        messages: page.messages.map(messageJson),
        ...(page.nextCursor ? { next_cursor: page.nextCursor } : {}),
      };
    },
  });

const getMessageRoute = (platform: Platform) =>
  defineRoute({
    method: 'GET',
    url: '/workspaces/:id/webhook-messages/:messageId',
    summary: 'Get a webhook message',
    description:
      'Admins and owners. The message and every attempt: when, how long, the status, and the first 4 KiB of the answer.',
    tags: ['webhooks'],
    operationId: 'getWebhookMessage',
    auth: 'required',
    params: messageParams,
    response: { 200: messageWithAttemptsSchema, ...problems },
    async handler(request) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      const { attemptLog, ...message } = await platform.webhooks.deliveries.get(
        access,
        request.params.messageId,
      );
      return { ...messageJson(message), attempts: attemptLog.map(attemptJson) };
    },
  });

const replayMessageRoute = (platform: Platform) =>
  defineRoute({
    method: 'POST',
    url: '/workspaces/:id/webhook-messages/:messageId/replay',
    summary: 'Replay a webhook message',
    description:
      'Admins and owners. Sends it again now, with the whole retry schedule, whatever its state (a pending message is left on its way). The endpoint must be enabled.',
    tags: ['webhooks'],
    operationId: 'replayWebhookMessage',
    auth: 'required',
    params: messageParams,
    response: { 200: messageSchema, ...problems },
    async handler(request) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      return messageJson(
        await platform.webhooks.deliveries.replay(access, request.params.messageId, request.id),
      );
    },
  });

const replayFailedRoute = (platform: Platform) =>
  defineRoute({
    method: 'POST',
    url: '/workspaces/:id/webhooks/:webhookId/replay',
    summary: 'Replay failed webhook messages',
    description:
      'Admins and owners. Every dead or cancelled message of this endpoint created at or after `since` is sent again. The endpoint must be enabled.',
    tags: ['webhooks'],
    operationId: 'replayFailedWebhookMessages',
    auth: 'required',
    params: webhookParams,
    body: replayFailedBody,
    response: { 200: z.object({ replayed: z.number().describe('messages due again') }), ...problems },
    async handler(request) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      return platform.webhooks.deliveries.replayFailed(
        access,
        request.params.webhookId,
        new Date(request.body.since),
        request.id,
      );
    },
  });

const healthRoute = (platform: Platform) =>
  defineRoute({
    method: 'GET',
    url: '/workspaces/:id/webhooks/:webhookId/health',
    summary: 'Get webhook endpoint health',
    description:
      'Admins and owners. Success rate over the last 24 hours, messages waiting, dead letters, and since when it has been failing.',
    tags: ['webhooks'],
    operationId: 'getWebhookHealth',
    auth: 'required',
    params: webhookParams,
    response: { 200: healthSchema, ...problems },
    async handler(request) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      return snake(await platform.webhooks.deliveries.health(access, request.params.webhookId));
    },
  });

const sendTestRoute = (platform: Platform) =>
  defineRoute({
    method: 'POST',
    url: '/workspaces/:id/webhooks/:webhookId/test',
    summary: 'Send a test webhook event',
    description:
      'Admins and owners. A `webhook.test` event to this endpoint only, whatever its filter, delivered like any other (follow it in the message log). The endpoint must be enabled (WEBHOOK_DISABLED otherwise).',
    tags: ['webhooks'],
    operationId: 'sendTestWebhook',
    auth: 'required',
    params: webhookParams,
    response: {
      202: z.object({
        event_id: z.string(),
        messages: z.number().describe('messages queued (1)'),
      }),
      ...problems,
    },
    async handler(request, reply) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      const emitted = await platform.webhooks.deliveries.sendTest(
        access,
        request.params.webhookId,
        request.id,
      );
      return reply.code(202).send({ event_id: emitted.id, messages: emitted.messages });
    },
  });

/** Registers the delivery routes on `app` (the webhook route group's instance). */
export function registerWebhookDeliveryRoutes(app: FastifyInstance, platform: Platform): void {
  registerRoute(app, listMessagesRoute(platform));
  registerRoute(app, getMessageRoute(platform));
  registerRoute(app, replayMessageRoute(platform));
  registerRoute(app, replayFailedRoute(platform));
  registerRoute(app, healthRoute(platform));
  registerRoute(app, sendTestRoute(platform));
}
