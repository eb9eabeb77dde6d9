import {
  defineRoute,
  type Platform,
  PlatformError,
  principalOf,
  problemResponses,
  registerRoute,
  requireRole,
  type WorkspaceAccess,
} from '@airsuite/platform-api';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ChatService } from '../chat-service.ts';
import { usageJson } from './chat-json.ts';

const workspaceParams = z.object({
  id: z.string().regex(/^wsp_[A-Za-z0-9]{1,64}$/, 'must be a workspace id (wsp_…)'),
});

const chatStateSchema = z.object({
  month_start: z.string(),
  usage: z.object({
    runs: z.number(),
    prompt_tokens: z.number(),
    output_tokens: z.number(),
    total_tokens: z.number(),
    tool_calls: z.number(),
  }),
  monthly_token_budget: z.number().nullable(),
  gemini_key: z
    .enum(['workspace', 'deployment_default'])
    .describe('which Gemini key the workspace chats with'),
});

const monthStart = () => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
};

const settingsChange = z.object({
  monthly_token_budget: z.number().int().min(1000).max(1_000_000_000_000).nullable().optional(),
  gemini_api_key: z
    .string()
    .trim()
    .min(10, 'must be a Gemini API key')
    .max(256)
    .regex(/^[\x21-\x7e]+$/, 'must be a Gemini API key (no spaces)')
    .nullable()
    .optional(),
});

type SettingsChange = z.infer<typeof settingsChange>;

/**
 * A workspace's chat: this month's usage (every member may look) and its settings (admins):
 * a monthly token budget that stops runs with a clear message, and an own Gemini key,
 * stored sealed like Airtable tokens and never shown again.
 */
export function workspaceChatRoutes(options: { platform: Platform; chat: ChatService }) {
  return async (app: FastifyInstance) => {
    getChatRoute(app, options);
    updateChatRoute(app, options);
  };
}

interface ChatRouteDeps {
  platform: Platform;
  chat: ChatService;
}

/** The month's usage, the budget and which key the workspace chats with, as the API shows them. */
async function chatState(chat: ChatService, workspaceId: string) {
  const since = monthStart();
  const usage = await chat.store.usage({ workspaceId, since });
  const budget = await chat.store.monthlyTokenBudget(workspaceId);
  const ownKey = await chat.store.workspaceGeminiKey(workspaceId);
  return {
    month_start: since.toISOString(),
    usage: usageJson(usage),
    monthly_token_budget: budget ?? null,
    gemini_key: ownKey ? ('workspace' as const) : ('deployment_default' as const),
  };
}

/** `GET /workspaces/:id/chat` */
function getChatRoute(app: FastifyInstance, { platform, chat }: ChatRouteDeps) {
  registerRoute(
    app,
    defineRoute({
      method: 'GET',
      url: '/workspaces/:id/chat',
      summary: "A workspace's chat usage and settings",
      description: 'Tokens and tool calls of this month, the monthly budget, and which Gemini key is used.',
      tags: ['chat'],
      operationId: 'getWorkspaceChat',
      auth: 'required',
      params: workspaceParams,
      response: { 200: chatStateSchema, ...problemResponses },
      async handler(request) {
        const access = await platform.workspaces.access(principalOf(request), request.params.id);
        return chatState(chat, access.workspaceId);
      },
    }),
  );
}

/** `PATCH /workspaces/:id/chat` */
function updateChatRoute(app: FastifyInstance, { platform, chat }: ChatRouteDeps) {
  registerRoute(
    app,
    defineRoute({
      method: 'PATCH',
      url: '/workspaces/:id/chat',
      summary: "Change a workspace's chat settings",
      description:
        'Admins and owners. `monthly_token_budget` (null: none) stops runs once the month has used it; ' +
        '`gemini_api_key` (null: use the deployment default) is stored encrypted and never returned.',
      tags: ['chat'],
      operationId: 'updateWorkspaceChat',
      auth: 'required',
      params: workspaceParams,
      body: settingsChange,
      response: { 200: chatStateSchema, ...problemResponses },
      async handler(request) {
        const access = await platform.workspaces.access(principalOf(request), request.params.id);
        requireRole(access, 'admin', 'changing chat settings');
        const body = request.body;
        if (body.gemini_api_key !== undefined) {
          if (!chat.setWorkspaceKey) {
            throw new PlatformError('FORBIDDEN', 'this deployment cannot store workspace Gemini keys');
          }
          await chat.setWorkspaceKey(access.workspaceId, body.gemini_api_key);
        }
        if (body.monthly_token_budget !== undefined) {
          await chat.store.setMonthlyTokenBudget(access.workspaceId, body.monthly_token_budget);
        }
        await auditSettingsChange(platform, access, request.id, body);
        return chatState(chat, access.workspaceId);
      },
    }),
  );
}

/** The settings change in the workspace's audit log (never the key itself: set or removed). */
async function auditSettingsChange(
  platform: Platform,
  access: WorkspaceAccess,
  requestId: string,
  body: SettingsChange,
): Promise<void> {
  const principal = access.principal;
  await platform.audit.record({
    workspaceId: access.workspaceId,
    actor:
      principal.kind === 'user'
        ? { type: 'user', id: principal.userId, label: principal.email }
        : { type: 'api_key', id: principal.keyId, label: principal.keyName },
    action: 'chat_settings.update',
    target: { type: 'workspace', id: access.workspaceId },
    outcome: 'success',
    requestId,
    details: {
      ...(body.monthly_token_budget !== undefined ? { monthly_token_budget: body.monthly_token_budget } : {}),
      ...(body.gemini_api_key !== undefined
        ? { gemini_api_key: body.gemini_api_key === null ? 'removed' : 'set' }
        : {}),
    },
  });
}
