import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PlatformError } from '../../errors.ts';
import { bearerFrom, type Platform } from '../../platform.ts';
import { requireRole } from '../../services/workspaces.ts';
import { createEventFeed } from '../../webhooks/event-feed.ts';
import { createEventSignals, type EventSignals } from '../../webhooks/event-signals.ts';
import { unknownEventPatterns } from '../../webhooks/events/catalogue.ts';
import { defineRoute, registerRoute } from '../define-route.ts';
import { type PumpEventsOptions, pumpEvents } from '../pump-events.ts';
import { openSse, type SseStream } from '../sse.ts';
import { principalOf } from './auth-hook.ts';
import { problems, workspaceParams } from './schemas.ts';

/**
 * A workspace's events as Server-Sent Events, for `airsuite webhooks listen`: the CLI holds
 * this stream and forwards each event to a local URL, so the platform never connects to the
 * developer's machine (no endpoint, no SSRF check, nothing stored per listener).
 */

const SEQ = /^\d{1,18}$/;
const DOING = 'streaming webhook events';

const STREAM_DESCRIPTION =
  'text/event-stream. First `id: <seq>` `event: ready` `data: {"after": "<seq>"}`: the point the stream starts after. ' +
  'Then each event as `id: <seq>`, `event: <type>` (record.created…), `data: <the envelope>` byte for byte as webhook ' +
  'endpoints receive it (GET /v1/webhooks/event-types has their schemas), in `seq` order. Reconnect with ' +
  '`Last-Event-ID: <the last id seen>` to miss nothing. `: ping` comments every 15 s. A credential revoked (or a member ' +
  'removed or demoted) meanwhile ends the stream with `event: error` `data: {"code", "message"}`.';

const eventStream = z.string().meta({
  description: STREAM_DESCRIPTION,
  content: { 'text/event-stream': { schema: { type: 'string', description: STREAM_DESCRIPTION } } },
});

const invalid = (field: string, location: 'headers' | 'querystring', message: string) =>
  new PlatformError('VALIDATION_FAILED', `${field} ${message}`, {
    errors: [{ field, location, message }],
  });

/** `?types=record.*,member.added` → the patterns, every one known (WEBHOOK_EVENT_TYPE_UNKNOWN otherwise). */
function patternsOf(types: string | undefined): string[] | undefined {
  if (types === undefined) return undefined;
  const patterns = types
    .split(',')
    .map((pattern) => pattern.trim())
    .filter((pattern) => pattern !== '');
  if (patterns.length === 0) throw invalid('types', 'querystring', 'must name at least one event type');
  const unknown = unknownEventPatterns(patterns);
  if (unknown.length > 0) {
    throw new PlatformError(
      'WEBHOOK_EVENT_TYPE_UNKNOWN',
      `unknown event type ${unknown.map((t) => `"${t}"`).join(', ')}; GET /v1/webhooks/event-types lists them`,
      { unknown },
    );
  }
  return patterns;
}

/** Last-Event-ID (a reconnection) wins over `?after=` (the first connection of a resumed listener). */
function resumePoint(header: string | string[] | undefined, after: string | undefined): bigint | undefined {
  if (header !== undefined) {
    const value = Array.isArray(header) ? header.at(-1) : header;
    if (value === undefined || !SEQ.test(value.trim())) {
      throw invalid('last-event-id', 'headers', 'must be the id of an event of this stream (digits)');
    }
    return BigInt(value.trim());
  }
  return after === undefined ? undefined : BigInt(after);
}

/** The pump's intervals; the defaults except in specs. */
export type EventStreamTimings = Partial<Pick<PumpEventsOptions, 'pollMs' | 'holeRetryMs' | 'recheckMs'>>;

interface StreamDeps {
  platform: Platform;
  /** The streams open now, ended when the app closes. */
  open: Set<SseStream>;
  signals: () => EventSignals;
  timings: EventStreamTimings;
}

const streamEventsRoute = ({ platform, open, signals, timings }: StreamDeps) =>
  defineRoute({
    method: 'GET',
    url: '/workspaces/:id/events/stream',
    summary: 'Stream workspace events',
    description:
      'Admins and owners (an API key: its own workspace). Every event of the workspace as Server-Sent Events, ' +
      'from now, or after `Last-Event-ID` / `after` (a `seq` this stream sent) to resume without a gap. ' +
      '`types` filters with the same patterns as endpoints (`record.*,member.added`; `*` for all).',
    tags: ['webhooks'],
    operationId: 'streamWorkspaceEvents',
    auth: 'required',
    params: workspaceParams,
    query: z.object({
      after: z.string().regex(SEQ, 'must be an event seq (digits)').optional(),
      types: z.string().max(2000).optional(),
    }),
    response: { 200: eventStream, ...problems },
    async handler(request, reply) {
      const workspaceId = request.params.id;
      requireRole(await platform.workspaces.access(principalOf(request), workspaceId), 'admin', DOING);
      const patterns = patternsOf(request.query.types);
      const after = resumePoint(request.headers['last-event-id'], request.query.after);
      const feed = createEventFeed({
        db: platform.db,
        workspaceId,
        ...(patterns ? { patterns } : {}),
      });
      const head = await feed.head();
      // A resume point past the newest event (another database, a reset one) starts from now.
      const cursor = after === undefined || after > head ? head : after;
      const stream = openSse(reply);
      open.add(stream);
      void stream.closed.then(() => open.delete(stream));
      void pumpEvents({
        ...timings,
        stream,
        feed,
        signals: signals(),
        workspaceId,
        cursor,
        async recheck() {
          const principal = await platform.authenticate(bearerFrom(request.headers.authorization));
          requireRole(await platform.workspaces.access(principal, workspaceId), 'admin', DOING);
        },
        onError: (error) => request.log.warn({ err: error }, 'event stream: reading events failed'),
      }).catch((error: unknown) => {
        request.log.error({ err: error }, 'event stream failed');
        stream.end();
      });
      return reply;
    },
  });

export function eventStreamRoutes(platform: Platform, timings: EventStreamTimings = {}) {
  return async (app: FastifyInstance) => {
    // One LISTEN for every stream of this app, opened with the first.
    let signals: EventSignals | undefined;
    const open = new Set<SseStream>();
    // Streams still open when the app closes are ended (listeners reconnect with Last-Event-ID);
    // otherwise `close()` would wait for them forever.
    app.addHook('preClose', async () => {
      for (const stream of open) stream.end();
    });
    app.addHook('onClose', async () => {
      await signals?.close();
    });
    const lazySignals = () => {
      signals ??= createEventSignals(platform.db);
      return signals;
    };
    registerRoute(app, streamEventsRoute({ platform, open, signals: lazySignals, timings }));
  };
}
