import { defineRoute, PlatformError, problemResponses, registerRoute } from '@airsuite/platform-api';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ChatService } from '../chat-service.ts';
import { ChatError } from '../loop/errors.ts';
import type { RunRecord } from '../store/chat-store.ts';
import type { ConversationAccess } from './conversation-access.ts';
import {
  approvalId,
  conversationId,
  conversationParams,
  eventStream,
  MAX_MESSAGE_CHARS,
} from './conversation-schemas.ts';
import { type RunWatch, watchRun } from './run-stream.ts';
import { openSse, type SseStream } from './sse.ts';

const problems = { ...problemResponses, 503: problemResponses[404] };

/** `Last-Event-ID: <runId>:<seq>`. */
const LAST_EVENT_ID = /^(run_[A-Za-z0-9]{1,64}):(\d{1,9})$/;

const badLastEventId = (message: string) =>
  new PlatformError('VALIDATION_FAILED', `the Last-Event-ID header is invalid: ${message}`, {
    errors: [{ field: 'last-event-id', location: 'headers', message }],
  });

/** Streams `watch` to the client, and closes the stream with an error if `work` fails first. */
function streamRun(
  open: Set<SseStream>,
  request: FastifyRequest,
  reply: FastifyReply,
  watch: RunWatch,
  work?: Promise<unknown>,
): FastifyReply {
  const stream = openSse(reply);
  open.add(stream);
  void stream.closed.then(() => open.delete(stream));
  watch.pipe(stream);
  work?.catch((error: unknown) => {
    request.log.error({ err: error }, 'chat run failed');
    return watch.fail(error);
  });
  return reply;
}

/** Messages, the event stream (with Last-Event-ID resume) and approvals of a conversation. */
export function runRoutes(app: FastifyInstance, deps: { chat: ChatService; access: ConversationAccess }) {
  const { chat, access } = deps;
  // Streams still open when the app closes are ended (clients reconnect with Last-Event-ID);
  // otherwise `close()` would wait for their runs.
  const open = new Set<SseStream>();
  app.addHook('preClose', async () => {
    for (const stream of open) stream.end();
  });
  const routeDeps: RunRouteDeps = { chat, access, open };

  sendMessageRoute(app, routeDeps);
  watchRoute(app, routeDeps);
  decideRoute(app, routeDeps);
}

interface RunRouteDeps {
  chat: ChatService;
  access: ConversationAccess;
  /** The streams open now, ended when the app closes. */
  open: Set<SseStream>;
}

/** `POST /conversations/:id/messages` */
function sendMessageRoute(app: FastifyInstance, { chat, access, open }: RunRouteDeps) {
  registerRoute(
    app,
    defineRoute({
      method: 'POST',
      url: '/conversations/:id/messages',
      summary: 'Send a message',
      description:
        'Answered with the run as Server-Sent Events until `done`. A run already open (answering, or ' +
        'waiting for approval) is 409 CHAT_RUN_IN_PROGRESS, no chat model 503 CHAT_MODEL_NOT_CONFIGURED (no run ' +
        'is made); failures during the run are `error` events.',
      tags: ['conversations'],
      operationId: 'sendMessage',
      auth: 'required',
      params: conversationParams,
      body: z.object({
        text: z
          .string()
          .min(1, 'must not be empty')
          .max(MAX_MESSAGE_CHARS, `must be at most ${MAX_MESSAGE_CHARS} characters`)
          .refine((text) => text.trim() !== '', 'must not be blank'),
      }),
      response: { 200: eventStream, ...problems },
      async handler(request, reply) {
        const { caller, conversation } = await access.ofConversation(request, request.params.id);
        let watch: RunWatch | undefined;
        let started: () => void = () => {};
        const startedOrSettled = new Promise<void>((resolve) => {
          started = resolve;
        });
        const sending = chat.send(caller, conversation.id, request.body.text, (run: RunRecord) => {
          watch = watchRun(chat, run.id, 0);
          started();
        });
        // Refusals before the run exists (CHAT_RUN_IN_PROGRESS…) are HTTP problems.
        await Promise.race([startedOrSettled, sending]);
        if (!watch) throw new ChatError('CHAT_INTERNAL', 'the run ended before it started');
        return streamRun(open, request, reply, watch, sending);
      },
    }),
  );
}

/** `GET /conversations/:id/events` */
function watchRoute(app: FastifyInstance, { chat, access, open }: RunRouteDeps) {
  registerRoute(
    app,
    defineRoute({
      method: 'GET',
      url: '/conversations/:id/events',
      summary: 'Watch the latest run',
      description:
        'Server-Sent Events of the latest run from its start, or, with `Last-Event-ID: <runId>:<seq>`, of ' +
        'that run after `seq` (from the store, then live) until `done`. 204 when there is nothing to stream: ' +
        'no run yet, or a run that is not running and has no later events.',
      tags: ['conversations'],
      operationId: 'watchConversation',
      auth: 'required',
      params: conversationParams,
      response: { 200: eventStream, 204: null, ...problems },
      async handler(request, reply) {
        const { conversation } = await access.ofConversation(request, request.params.id);
        const header = request.headers['last-event-id'];
        let run: RunRecord | undefined;
        let afterSeq = 0;
        if (typeof header === 'string' && header.trim() !== '') {
          const match = LAST_EVENT_ID.exec(header.trim());
          if (!match) throw badLastEventId('must be <runId>:<seq> as sent in an event id');
          run = await chat.store.getRun(match[1] ?? '');
          if (run?.conversationId !== conversation.id)
            throw badLastEventId('no such run in this conversation');
          afterSeq = Number(match[2]);
        } else {
          run = await chat.store.latestRun(conversation.id);
        }
        if (!run) return reply.code(204).send();
        const watch = watchRun(chat, run.id, afterSeq);
        await watch.ready;
        const current = await chat.store.getRun(run.id);
        if (watch.pending().length === 0 && current?.status !== 'running') {
          watch.stop();
          return reply.code(204).send();
        }
        return streamRun(open, request, reply, watch);
      },
    }),
  );
}

/** `POST /conversations/:id/approvals/:approvalId` */
function decideRoute(app: FastifyInstance, { chat, access, open }: RunRouteDeps) {
  registerRoute(
    app,
    defineRoute({
      method: 'POST',
      url: '/conversations/:id/approvals/:approvalId',
      summary: 'Decide an approval',
      description:
        'approve, deny (with an optional reason the model reads) or edit (with the `arguments` to run ' +
        'instead). When this was the last pending approval the run resumes and the answer is its ' +
        'Server-Sent Events from the decision on; otherwise 202 with how many are still pending.',
      tags: ['conversations'],
      operationId: 'decideApproval',
      auth: 'required',
      params: z.object({ id: conversationId, approvalId }),
      body: z
        .object({
          decision: z.enum(['approve', 'deny', 'edit']),
          reason: z.string().max(2000, 'must be at most 2000 characters').optional(),
          arguments: z.record(z.string(), z.unknown()).optional(),
        })
        .refine((body) => body.decision !== 'edit' || body.arguments !== undefined, {
          message: 'is required when the decision is edit',
          path: ['arguments'],
        }),
      response: {
        200: eventStream,
        202: z.object({ status: z.literal('awaiting_approval'), pending: z.number() }),
        ...problems,
      },
      async handler(request, reply) {
        const { caller, conversation } = await access.ofConversation(request, request.params.id);
        const id = request.params.approvalId;
        const approval = await chat.store.getApproval(id);
        if (approval?.conversationId !== conversation.id) {
          throw new ChatError('CHAT_APPROVAL_NOT_FOUND', 'no approval with this id in this conversation');
        }
        const runId = approval.runId;
        const before = await chat.store.eventsAfter(runId, 0);
        const watch = watchRun(chat, runId, before.at(-1)?.seq ?? 0);
        const deciding = chat.decide(caller, conversation.id, id, request.body);
        const decided = watch.until((e) => e.event.type === 'approval_decided' && e.event.approval_id === id);
        try {
          // Refusals (already decided…) are HTTP problems; so is an answer that comes without resuming.
          const first = await Promise.race([decided.then(() => undefined), deciding]);
          const result = first ?? (await Promise.race([deciding, resumedOrNot(chat, runId, watch)]));
          if (result && !result.resumed) {
            watch.stop();
            const pending = (await chat.store.approvalsOf(runId)).filter((a) => a.status === 'pending');
            return reply.code(202).send({ status: 'awaiting_approval' as const, pending: pending.length });
          }
        } catch (error) {
          watch.stop();
          throw error;
        }
        return streamRun(open, request, reply, watch, deciding);
      },
    }),
  );
}

/**
 * Once the decision is recorded: `{ resumed: true }` as soon as the run is moving again (or
 * finished), `{ resumed: false }` when other approvals are still pending.
 */
async function resumedOrNot(
  chat: ChatService,
  runId: string,
  watch: RunWatch,
): Promise<{ resumed: boolean }> {
  const pending = (await chat.store.approvalsOf(runId)).filter((a) => a.status === 'pending');
  if (pending.length > 0) return { resumed: false };
  await watch.ready;
  return { resumed: true };
}
