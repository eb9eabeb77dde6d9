import type { Principal } from '@airsuite/platform-api';
import type { CancelBus } from './cancel-bus.ts';
import { createEventLog } from './event-log.ts';
import { ChatError, modelNotConfigured } from './loop/errors.ts';
import type { RunEvent, StoredEvent } from './loop/events.ts';
import { type ChatDeps, createChatRunner, type PausedState } from './loop/run-chat.ts';
import type { RunLimits } from './loop/run-options.ts';
import { createMcpClientPool } from './mcp-client-pool.ts';
import type { ModelPort } from './model/model-port.ts';
import type { Caller, McpConnector } from './service/caller.ts';
import type { ChatStore, Conversation, RunRecord } from './store/chat-store.ts';

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

type Listener = (event: StoredEvent) => void;

const actorOf = (principal: Principal) =>
  principal.kind === 'user'
    ? { type: 'user' as const, id: principal.userId }
    : { type: 'api_key' as const, id: principal.keyId };

/**
 * Conversations as the faces (REST + SSE, web page, terminal) use them: runs execute in
 * this process with their events persisted in order and fanned out live, so a client can
 * watch, leave, and come back with Last-Event-ID.
 */
export function createChatService(options: ChatServiceOptions) {
  const { store } = options;
  const listeners = new Map<string, Set<Listener>>();
  const running = new Map<string, AbortController>();
  const queues = new Map<string, Promise<unknown>>();
  const pool = createMcpClientPool(options.connect);
  const abortLocal = (conversationId: string) => {
    const controller = running.get(conversationId);
    controller?.abort(new ChatError('CHAT_CANCELLED', 'cancelled by the user'));
    return controller !== undefined;
  };
  const listening = options.cancelBus?.subscribe((conversationId) => void abortLocal(conversationId));
  // A bus that cannot listen leaves cancel local; it must not take the process down.
  listening?.catch(() => {});

  const events = createEventLog(store);

  /** Events of one run are numbered one after another, so sequence numbers follow emission order. */
  function emit(runId: string, event: RunEvent): Promise<void> {
    const previous = queues.get(runId) ?? Promise.resolve();
    const next = previous.then(async () => {
      const stored = await events.append(runId, event);
      for (const listener of listeners.get(runId) ?? []) listener(stored);
    });
    queues.set(
      runId,
      next.catch(() => {}),
    );
    return next;
  }

  /** The workspace's model, or CHAT_MODEL_NOT_CONFIGURED before anything is made that could not be answered. */
  async function modelOf(workspaceId: string): Promise<ModelPort> {
    const model = await options.modelFor(workspaceId);
    if (!model) throw modelNotConfigured();
    return model;
  }

  async function withRunner<T>(
    caller: Caller,
    work: (runner: ReturnType<typeof createChatRunner>) => Promise<T>,
    model: ModelPort | undefined,
  ) {
    const lease = pool.acquire(caller);
    const deps: ChatDeps = {
      store,
      ...(model ? { model } : {}),
      tools: {
        listTools: async () => (await lease.runner).listTools(),
        callTool: async (name, args, signal) => (await lease.runner).callTool(name, args, signal),
        close: async () => lease.release(),
      },
      emit,
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.now ? { now: options.now } : {}),
    };
    try {
      return await work(createChatRunner(deps));
    } finally {
      lease.release();
    }
  }

  async function ownConversation(caller: Caller, conversationId: string): Promise<Conversation> {
    const conversation = await store.getConversation(conversationId);
    const actor = actorOf(caller.access.principal);
    if (
      !conversation ||
      conversation.workspaceId !== caller.access.workspaceId ||
      conversation.actor.type !== actor.type ||
      conversation.actor.id !== actor.id
    ) {
      throw new ChatError('CHAT_CONVERSATION_NOT_FOUND', 'no conversation with this id is visible to you');
    }
    return conversation;
  }

  /** Runs `work` with an abort controller registered for `cancel`, until it settles. */
  async function tracked(conversationId: string, work: (signal: AbortSignal) => Promise<RunRecord>) {
    const controller = new AbortController();
    running.set(conversationId, controller);
    try {
      return await work(controller.signal);
    } finally {
      if (running.get(conversationId) === controller) running.delete(conversationId);
    }
  }

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
    conversation: ownConversation,

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
      const conversation = await ownConversation(caller, conversationId);
      const model = await modelOf(conversation.workspaceId);
      return tracked(conversation.id, (signal) =>
        withRunner(caller, (runner) => runner.send(conversation, text, signal, onStarted), model),
      );
    },

    /** Records a decision; when it was the last pending one, resumes the run here. */
    async decide(
      caller: Caller,
      conversationId: string,
      approvalId: string,
      decision: {
        decision: 'approve' | 'deny' | 'edit';
        reason?: string;
        arguments?: Record<string, unknown>;
      },
    ): Promise<{ run: RunRecord; resumed: boolean }> {
      const conversation = await ownConversation(caller, conversationId);
      const approval = await store.getApproval(approvalId);
      if (!approval || approval.conversationId !== conversation.id) {
        throw new ChatError('CHAT_APPROVAL_NOT_FOUND', 'no approval with this id in this conversation');
      }
      const status =
        decision.decision === 'approve' ? 'approved' : decision.decision === 'deny' ? 'denied' : 'edited';
      const decided = await store.decideApproval(approvalId, {
        status,
        ...(decision.reason ? { reason: decision.reason } : {}),
        ...(decision.decision === 'edit' && decision.arguments
          ? { editedArguments: decision.arguments }
          : {}),
        decidedBy: actorOf(caller.access.principal).id,
      });
      if (!decided) throw new ChatError('CHAT_APPROVAL_ALREADY_DECIDED', 'this approval was already decided');
      await emit(approval.runId, {
        type: 'approval_decided',
        approval_id: approvalId,
        decision: decision.decision,
        ...(decision.reason ? { reason: decision.reason } : {}),
      });
      const run = await store.getRun(approval.runId);
      if (!run) throw new ChatError('CHAT_APPROVAL_NOT_FOUND', 'the run of this approval is gone');
      const pending = (await store.approvalsOf(run.id)).filter((a) => a.status === 'pending');
      if (pending.length > 0) return { run, resumed: false };
      // A resumed run without a model fails as a run (the decision is already recorded).
      const model = await options.modelFor(conversation.workspaceId);
      const resumed = await tracked(conversation.id, (signal) =>
        withRunner(caller, (runner) => runner.resume(conversation, run, signal), model),
      );
      return { run: resumed, resumed: true };
    },

    /** Cancels the conversation's running run (in this process); the running tool gets an MCP cancellation. */
    async cancel(caller: Caller, conversationId: string): Promise<boolean> {
      const conversation = await ownConversation(caller, conversationId);
      if (abortLocal(conversation.id)) return true;
      // A run waiting for approval has nothing running: cancelling ends it.
      const open = await store.openRun(conversation.id);
      if (
        open?.status === 'awaiting_approval' &&
        (await store.transitionRun(open.id, 'awaiting_approval', 'cancelled'))
      ) {
        // Gemini needs every call of the paused turn answered, or the conversation is stuck.
        const calls = (open.state as PausedState | undefined)?.calls ?? [];
        if (calls.length > 0) {
          await store.appendTurns(conversation.id, open.id, [
            {
              role: 'user',
              parts: calls.map((call) => ({
                functionResponse: {
                  ...(call.geminiId ? { id: call.geminiId } : {}),
                  name: call.name,
                  response: {
                    error: {
                      code: 'USER_CANCELLED',
                      message: 'The user cancelled this request before it ran.',
                    },
                  },
                },
              })),
            },
          ]);
        }
        await store.updateRun(open.id, { status: 'cancelled', state: null, errorCode: 'CHAT_CANCELLED' });
        await emit(open.id, { type: 'error', code: 'CHAT_CANCELLED', message: 'cancelled by the user' });
        await emit(open.id, { type: 'done', status: 'cancelled', text: '' });
        return true;
      }
      // Running in another process: ask it.
      if (open?.status === 'running' && options.cancelBus) {
        await options.cancelBus.publish(conversation.id);
        return true;
      }
      return false;
    },

    /** Live events of a run after `afterSeq` (replayed from the store first). Returns the unsubscribe. */
    async subscribe(runId: string, afterSeq: number, listener: Listener): Promise<() => void> {
      let last = afterSeq;
      const buffered: StoredEvent[] = [];
      let replaying = true;
      const live: Listener = (event) => {
        if (replaying) buffered.push(event);
        else if (event.seq > last) {
          last = event.seq;
          listener(event);
        }
      };
      let set = listeners.get(runId);
      if (!set) {
        set = new Set();
        listeners.set(runId, set);
      }
      set.add(live);
      const stored = await store.eventsAfter(runId, afterSeq);
      const waiting = events.unwritten(runId, stored.at(-1)?.seq ?? afterSeq);
      for (const event of [...stored, ...waiting]) {
        if (event.seq <= last) continue;
        last = event.seq;
        listener(event);
      }
      replaying = false;
      for (const event of buffered) live(event);
      return () => {
        set?.delete(live);
        if (set?.size === 0) listeners.delete(runId);
      };
    },

    isRunning: (conversationId: string) => running.has(conversationId),
    setWorkspaceKey: options.setWorkspaceKey,

    /** Closes the pooled MCP clients (runs still going lose their tools). */
    async close() {
      const unlisten = await listening?.catch(() => undefined);
      await unlisten?.();
      await events.flushAll();
      await pool.close();
    },
  };
}

export type ChatService = ReturnType<typeof createChatService>;
