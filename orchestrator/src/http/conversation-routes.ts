import { defineRoute, type Platform, problemResponses, registerRoute } from '@airsuite/platform-api';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ChatService } from '../chat-service.ts';
import { conversationJson, runJson, usageJson } from './chat-json.ts';
import { installChatErrorHandler } from './chat-problem.ts';
import { type ConversationAccess, conversationAccess } from './conversation-access.ts';
import {
  conversationDetailSchema,
  conversationParams,
  conversationSchema,
  workspaceId,
} from './conversation-schemas.ts';
import { renderConversation } from './render-conversation.ts';
import { runRoutes } from './run-routes.ts';
import { workspaceChatRoutes } from './workspace-chat-routes.ts';

export interface ConversationRoutesOptions {
  platform: Platform;
  chat: ChatService;
}

/** Conversations listed per page; the newest first. */
export const DEFAULT_CONVERSATION_LIMIT = 50;
export const MAX_CONVERSATION_LIMIT = 200;

const problems = { ...problemResponses, 503: problemResponses[404] };

/**
 * The chat over REST + SSE, as one route group for `/v1` (the host installs the platform's
 * auth hook: `buildPlatformApp({ extraRoutes: [conversationRoutes(…)] })` or
 * `startOrchestratorServer`). Every caller sees only their own conversations: anyone
 * else's, or one in a workspace they cannot access, is CHAT_CONVERSATION_NOT_FOUND (404).
 */
export function conversationRoutes(options: ConversationRoutesOptions) {
  const { platform, chat } = options;
  return async (app: FastifyInstance) => {
    installChatErrorHandler(app);
    const access = conversationAccess(platform, chat);
    const deps: RouteDeps = { platform, chat, access };

    createConversationRoute(app, deps);
    listConversationsRoute(app, deps);
    getConversationRoute(app, deps);
    cancelRunRoute(app, deps);

    runRoutes(app, { chat, access });
    await workspaceChatRoutes({ platform, chat })(app);
  };
}

interface RouteDeps {
  platform: Platform;
  chat: ChatService;
  access: ConversationAccess;
}

/** `POST /conversations` */
function createConversationRoute(app: FastifyInstance, { chat, access }: RouteDeps) {
  registerRoute(
    app,
    defineRoute({
      method: 'POST',
      url: '/conversations',
      summary: 'Start a conversation',
      description:
        'An API key starts it in its own workspace; a user in exactly one workspace may omit `workspace_id`. ' +
        'A workspace without a chat model is 503 CHAT_MODEL_NOT_CONFIGURED, and nothing is made.',
      tags: ['conversations'],
      operationId: 'createConversation',
      auth: 'required',
      body: z.object({ workspace_id: workspaceId.optional() }).optional(),
      response: { 201: conversationSchema, ...problems },
      async handler(request, reply) {
        const caller = await access.inWorkspace(request, request.body?.workspace_id);
        return reply.code(201).send(conversationJson(await chat.create(caller)));
      },
    }),
  );
}

/** `GET /conversations` */
function listConversationsRoute(app: FastifyInstance, { chat, access }: RouteDeps) {
  registerRoute(
    app,
    defineRoute({
      method: 'GET',
      url: '/conversations',
      summary: 'List your conversations',
      description: 'Yours only, in the workspaces you can access (or the one named), newest first.',
      tags: ['conversations'],
      operationId: 'listConversations',
      auth: 'required',
      query: z.object({
        workspace_id: workspaceId.optional(),
        limit: z.coerce.number().int().min(1).max(MAX_CONVERSATION_LIMIT).default(DEFAULT_CONVERSATION_LIMIT),
      }),
      response: { 200: z.object({ conversations: z.array(conversationSchema) }), ...problems },
      async handler(request) {
        const principal = request.principal;
        const ids = await access.workspaceIds(request, request.query.workspace_id);
        if (!principal) return { conversations: [] };
        const actor =
          principal.kind === 'user'
            ? { type: 'user' as const, id: principal.userId }
            : { type: 'api_key' as const, id: principal.keyId };
        const own = await chat.store.listConversations(ids, actor, request.query.limit);
        return { conversations: own.map(conversationJson) };
      },
    }),
  );
}

/** `GET /conversations/:id` */
function getConversationRoute(app: FastifyInstance, { chat, access }: RouteDeps) {
  registerRoute(
    app,
    defineRoute({
      method: 'GET',
      url: '/conversations/:id',
      summary: 'Get a conversation',
      description:
        'Its turns as people read them (your texts, the answers, tool calls with arguments and result ' +
        'summaries), the latest run with its usage, and the approvals waiting for you.',
      tags: ['conversations'],
      operationId: 'getConversation',
      auth: 'required',
      params: conversationParams,
      response: { 200: conversationDetailSchema, ...problems },
      async handler(request) {
        const { conversation } = await access.ofConversation(request, request.params.id);
        const [history, run, usage] = await Promise.all([
          chat.store.history(conversation.id),
          chat.store.latestRun(conversation.id),
          chat.store.usage({ conversationId: conversation.id }),
        ]);
        const approvals = run ? await chat.store.approvalsOf(run.id) : [];
        return {
          ...conversationJson(conversation),
          turns: renderConversation(history),
          ...(run ? { latest_run: runJson(run) } : {}),
          usage: usageJson(usage),
          pending_approvals: approvals
            .filter((approval) => approval.status === 'pending')
            .map((approval) => ({
              id: approval.id,
              call_id: approval.callId,
              tool: approval.tool,
              arguments: approval.arguments,
              reason: approval.reason,
              ...(approval.preview !== undefined ? { preview: approval.preview } : {}),
            })),
        };
      },
    }),
  );
}

/** `POST /conversations/:id/cancel` */
function cancelRunRoute(app: FastifyInstance, { chat, access }: RouteDeps) {
  registerRoute(
    app,
    defineRoute({
      method: 'POST',
      url: '/conversations/:id/cancel',
      summary: 'Cancel the running answer',
      description:
        'Stops the run in progress (the running tool is cancelled) or ends a run waiting for approval. ' +
        '`cancelled` is false when nothing was running.',
      tags: ['conversations'],
      operationId: 'cancelRun',
      auth: 'required',
      params: conversationParams,
      response: { 202: z.object({ cancelled: z.boolean() }), ...problems },
      async handler(request, reply) {
        const { caller, conversation } = await access.ofConversation(request, request.params.id);
        return reply.code(202).send({ cancelled: await chat.cancel(caller, conversation.id) });
      },
    }),
  );
}
