import type { CancelBus } from './cancel-bus.ts';
import { modelNotConfigured } from './loop/errors.ts';
import type { ChatDeps } from './loop/run-chat.ts';
import type { RunLimits } from './loop/run-options.ts';
import { createMcpClientPool } from './mcp-client-pool.ts';
import type { ModelPort } from './model/model-port.ts';
import type { Caller, McpConnector } from './service/caller.ts';
import { cancelPausedRun } from './service/cancel-paused-run.ts';
import { actorOf, ownConversation } from './service/conversation-owner.ts';
import { createLocalRuns } from './service/local-runs.ts';
import { type Decision, recordDecision } from './service/record-decision.ts';
import { createRunFanout } from './service/run-fanout.ts';
import { withRunner } from './service/runner-lease.ts';
import type { ChatStore, RunRecord } from './store/chat-store.ts';

export type { Caller, McpConnector };

export interface ChatServiceOptions {
  store: ChatStore;
  connect: McpConnector;
  /** The model for a workspace (its own key, or the deployment's); undefined when none is set. */
  modelFor(workspaceId: string): Promise<ModelPort | undefined>;
  limits?: Partial<RunLimits>;
  now?: () => number;
  /** Carries cancel requests to the process running the answer; without it, cancel is local only. */
  cancelBus?: CancelBus;
  /** Stores (or removes, with null) a workspace's own Gemini key; absent when keys cannot be sealed here. */
  setWorkspaceKey?(workspaceId: string, apiKey: string | null): Promise<void>;
}

/**
 * Conversations as the faces (REST + SSE, web page, terminal) use them: runs execute in
 * this process with their events persisted in order and fanned out live, so a client can
 * watch, leave, and come back with Last-Event-ID.
 */
export function createChatService(options: ChatServiceOptions) {
  const { store } = options;
  const local = createLocalRuns();
  const fanout = createRunFanout(store);
  const pool = createMcpClientPool(options.connect);
  const listening = options.cancelBus?.subscribe((conversationId) => void local.abort(conversationId));
  // A bus that cannot listen leaves cancel local; it must not take the process down.
  listening?.catch(() => {});
  const base = {
    store,
    emit: fanout.emit,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.now ? { now: options.now } : {}),
  };

  const parts: ServiceParts = { options, store, local, fanout, pool, base };
  const modelOf = (workspaceId: string) => modelOrRefusal(options, workspaceId);

  return {
    store,
    /** Refused (CHAT_MODEL_NOT_CONFIGURED) when the workspace has no model: no conversation is left behind. */
    async create(caller: Caller, title?: string) {
      await modelOf(caller.access.workspaceId);
      return store.createConversation({
        workspaceId: caller.access.workspaceId,
        actor: actorOf(caller.access.principal),
        ...(title ? { title } : {}),
      });
    },
    conversation: (caller: Caller, conversationId: string) => ownConversation(store, caller, conversationId),

    /**
     * Runs a user message to its end; `onStarted` gets the run as soon as it exists (to stream it).
     * Without a model it is refused before the run exists (CHAT_MODEL_NOT_CONFIGURED).
     */
    async send(
      caller: Caller,
      conversationId: string,
      text: string,
      onStarted?: (run: RunRecord) => void,
    ): Promise<RunRecord> {
      const conversation = await ownConversation(store, caller, conversationId);
      const model = await modelOf(conversation.workspaceId);
      return local.track(conversation.id, (signal) =>
        withRunner(pool, base, caller, model, (runner) => runner.send(conversation, text, signal, onStarted)),
      );
    },

    /** Records a decision; when it was the last pending one, resumes the run here. */
    decide: (caller: Caller, conversationId: string, approvalId: string, decision: Decision) =>
      decideAndResume(parts, caller, conversationId, approvalId, decision),

    /** Cancels the conversation's running run (in this process); the running tool gets an MCP cancellation. */
    cancel: (caller: Caller, conversationId: string) => cancelConversation(parts, caller, conversationId),

    /** Live events of a run after `afterSeq` (replayed from the store first). Returns the unsubscribe. */
    subscribe: fanout.subscribe,
    isRunning: local.isRunning,
    setWorkspaceKey: options.setWorkspaceKey,

    /** Closes the pooled MCP clients (runs still going lose their tools). */
    async close() {
      const unlisten = await listening?.catch(() => undefined);
      await unlisten?.();
      await fanout.flushAll();
      await pool.close();
    },
  };
}

export type ChatService = ReturnType<typeof createChatService>;

/** What the service's operations share. */
interface ServiceParts {
  options: ChatServiceOptions;
  store: ChatStore;
  local: ReturnType<typeof createLocalRuns>;
  fanout: ReturnType<typeof createRunFanout>;
  pool: ReturnType<typeof createMcpClientPool>;
  base: Omit<ChatDeps, 'tools' | 'model'>;
}

/** The workspace's model, or CHAT_MODEL_NOT_CONFIGURED before anything is made that could not be answered. */
async function modelOrRefusal(options: ChatServiceOptions, workspaceId: string): Promise<ModelPort> {
  const model = await options.modelFor(workspaceId);
  if (!model) throw modelNotConfigured();
  return model;
}

async function decideAndResume(
  parts: ServiceParts,
  caller: Caller,
  conversationId: string,
  approvalId: string,
  decision: Decision,
): Promise<{ run: RunRecord; resumed: boolean }> {
  const { options, store, local, fanout, pool, base } = parts;
  const conversation = await ownConversation(store, caller, conversationId);
  const decidedBy = actorOf(caller.access.principal).id;
  const { run, pending } = await recordDecision(store, fanout.emit, conversation, approvalId, {
    ...decision,
    decidedBy,
  });
  if (pending > 0) return { run, resumed: false };
  // A resumed run without a model fails as a run (the decision is already recorded).
  const model = await options.modelFor(conversation.workspaceId);
  const resumed = await local.track(conversation.id, (signal) =>
    withRunner(pool, base, caller, model, (runner) => runner.resume(conversation, run, signal)),
  );
  return { run: resumed, resumed: true };
}

async function cancelConversation(
  parts: ServiceParts,
  caller: Caller,
  conversationId: string,
): Promise<boolean> {
  const { options, store, local, fanout } = parts;
  const conversation = await ownConversation(store, caller, conversationId);
  if (local.abort(conversation.id)) return true;
  // A run waiting for approval has nothing running: cancelling ends it.
  const open = await store.openRun(conversation.id);
  if (open?.status === 'awaiting_approval' && (await cancelPausedRun(store, fanout.emit, open))) return true;
  // Running in another process: ask it.
  if (open?.status === 'running' && options.cancelBus) {
    await options.cancelBus.publish(conversation.id);
    return true;
  }
  return false;
}
