import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../platform.ts';
import { defineRoute, registerRoute } from '../define-route.ts';
import { principalOf } from './auth-hook.ts';
import { idParam, problems, snake, workspaceParams } from './schemas.ts';

/**
 * Change capture over REST: admins turn it on and off per base and read its status; Airtable
 * sends its notification pings to the one route without bearer auth, verified by their MAC.
 */

/** An Airtable ping is a small JSON object; anything larger is not one. */
const NOTIFICATION_BODY_LIMIT = 16 * 1024;

const baseIdSchema = z.string().regex(/^app[A-Za-z0-9]{14}$/, 'must be an Airtable base id (app…)');

const captureSchema = z.object({
  id: z.string(),
  base_id: z.string(),
  connection_id: z.string().describe('the connection whose token registered the webhook'),
  webhook_id: z.string().describe("Airtable's webhook (ach…)"),
  notifications: z
    .enum(['ping', 'timer'])
    .describe('ping: Airtable notifies AIRSUITE_PUBLIC_URL (and the timer checks too); timer: polling only'),
  cursor: z.number().describe('the next Airtable payload to convert'),
  expires_at: z.string().optional().describe("the webhook's expiry at Airtable; it is refreshed before"),
  last_pull_at: z.string().optional(),
  last_event_at: z.string().optional(),
  events_emitted: z.number(),
  last_error: z.string().optional(),
  last_error_at: z.string().optional(),
  refreshed_at: z.string().optional(),
  recreated_at: z.string().optional(),
  gap: z
    .object({ from: z.string().optional(), until: z.string(), note: z.string() })
    .optional()
    .describe('the webhook expired or vanished and was replaced: changes in this window may be missing'),
  created_at: z.string(),
});

const enableCaptureRoute = (platform: Platform) =>
  defineRoute({
    method: 'POST',
    url: '/workspaces/:id/change-capture',
    summary: 'Turn on change capture for a base',
    description:
      "Admins and owners. Registers an Airtable webhook on the base (through the connection that reaches it) so changes made in Airtable by anyone else become `record.*`, `table.*` and `field.*` events with actor type `airtable`. Changes the platform's own tools make are not reported twice. Idempotent per base: 201 when turned on, 200 when it already was. WEBHOOK_CAPTURE_LIMIT when the base has Airtable's 10 webhooks already.",
    tags: ['change-capture'],
    operationId: 'enableChangeCapture',
    auth: 'required',
    params: workspaceParams,
    body: z.object({ base_id: baseIdSchema }),
    response: { 200: captureSchema, 201: captureSchema, 502: problems[422], ...problems },
    async handler(request, reply) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      const { capture, created } = await platform.changeCapture.enable(
        access,
        request.body.base_id,
        request.id,
      );
      return reply.code(created ? 201 : 200).send(snake(capture));
    },
  });

const listCapturesRoute = (platform: Platform) =>
  defineRoute({
    method: 'GET',
    url: '/workspaces/:id/change-capture',
    summary: 'List captured bases',
    description:
      'Admins and owners. Each captured base with its status: cursor, webhook expiry, last pull, last error, and any window whose changes may be missing.',
    tags: ['change-capture'],
    operationId: 'listChangeCaptures',
    auth: 'required',
    params: workspaceParams,
    response: { 200: z.object({ captures: z.array(captureSchema) }), ...problems },
    async handler(request) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      return { captures: (await platform.changeCapture.list(access)).map(snake) };
    },
  });

const disableCaptureRoute = (platform: Platform) =>
  defineRoute({
    method: 'DELETE',
    url: '/workspaces/:id/change-capture/:baseId',
    summary: 'Turn off change capture for a base',
    description: 'Admins and owners. Deletes the Airtable webhook too.',
    tags: ['change-capture'],
    operationId: 'disableChangeCapture',
    auth: 'required',
    params: workspaceParams.extend({ baseId: baseIdSchema }),
    response: { 204: null, 502: problems[422], ...problems },
    async handler(request, reply) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      await platform.changeCapture.disable(access, request.params.baseId, request.id);
      return reply.code(204).send();
    },
  });

const notificationRoute = (platform: Platform) =>
  defineRoute({
    method: 'POST',
    url: '/airtable-notifications/:captureId',
    summary: 'Receive an Airtable notification ping',
    description:
      "Airtable's webhook pings, at the URL given to Airtable (`AIRSUITE_PUBLIC_URL`). No bearer token: the `X-Airtable-Content-MAC` header must carry the HMAC-SHA256 of the body under the webhook's secret (WEBHOOK_NOTIFICATION_UNVERIFIED otherwise). Answers 200 at once and pulls the payloads in the background.",
    tags: ['change-capture'],
    operationId: 'receiveAirtableNotification',
    auth: 'none',
    params: z.object({ captureId: idParam('cap', 'change capture') }),
    response: { 200: null, ...problems },
    async handler(request, reply) {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      await platform.changeCapture.notify(
        request.params.captureId,
        body,
        request.headers['x-airtable-content-mac'],
      );
      return reply.code(200).send();
    },
  });

/**
 * The ping route in a context of its own that reads every body as bytes: the MAC is over
 * exactly what Airtable sent, and the other routes keep their JSON parsing.
 */
function notificationRoutes(platform: Platform) {
  return async (raw: FastifyInstance) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: NOTIFICATION_BODY_LIMIT },
      (_r, body, done) => done(null, body),
    );
    registerRoute(raw, notificationRoute(platform));
  };
}

export function captureRoutes(platform: Platform) {
  return async (app: FastifyInstance) => {
    registerRoute(app, enableCaptureRoute(platform));
    registerRoute(app, listCapturesRoute(platform));
    registerRoute(app, disableCaptureRoute(platform));
    await app.register(notificationRoutes(platform));
  };
}
