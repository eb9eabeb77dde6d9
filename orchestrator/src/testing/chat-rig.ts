import { type FakeGemini, startFakeGemini } from '@airsuite/evals/fake-gemini';
import { inMemoryMcpClients } from '@airsuite/mcp-server';
import type { WorkspaceAccess } from '@airsuite/platform-api';
import { type PlatformRig, type RigUser, usePlatformRig } from '@airsuite/platform-api/testing';
import { afterAll, beforeAll } from 'vitest';
import { type Caller, type ChatService, createChatService } from '../chat-service.ts';
import type { RunEvent } from '../loop/events.ts';
import type { RunLimits } from '../loop/run-options.ts';
import { createGeminiModel } from '../model/gemini-model.ts';
import type { ModelPort } from '../model/model-port.ts';
import { createPgChatStore } from '../store/pg-chat-store.ts';

export const SAMPLE_CRM = 'appJRG6RjcS0ZVuqz';

export interface ChatRig {
  platform: PlatformRig;
  gemini(): FakeGemini;
  chat(): ChatService;
  /** The owner of a workspace connected to the sample bases. */
  owner(): RigUser;
  workspaceId(): string;
  /** The owner as a chat caller (access token). */
  caller(): Promise<Caller>;
  /** Runs a message to its end and returns every event it emitted, in order. */
  send(conversationId: string, text: string): Promise<RunEvent[]>;
  eventsOf(runId: string): Promise<RunEvent[]>;
  /** The model the rig's chat uses (undefined with `withModel: false`). */
  model(): ModelPort | undefined;
  /**
   * Another chat service over the same database, with a new store and a new MCP connector:
   * what a restarted process has (optionally with other limits).
   */
  newChat(options?: { limits?: Partial<RunLimits> }): ChatService;
}

/**
 * A chat spec's world: the platform rig (database, emulator, gateway), a fake Gemini that
 * speaks the real wire protocol, the real `@google/genai` SDK pointed at it, and the chat
 * service calling tools through the real MCP server as the workspace owner.
 */
export function useChatRig(options: { limits?: Partial<RunLimits>; withModel?: boolean } = {}): ChatRig {
  const platform = usePlatformRig();
  let gemini: FakeGemini | undefined;
  let chat: ChatService | undefined;
  let owner: RigUser | undefined;
  let workspaceId: string | undefined;
  let model: ModelPort | undefined;

  const newChat = (overrides: { limits?: Partial<RunLimits> } = {}) =>
    createChatService({
      store: createPgChatStore(platform.db()),
      connect: inMemoryMcpClients(platform.platform()),
      modelFor: async () => model,
      limits: { maxWallClockMs: 30_000, ...options.limits, ...overrides.limits },
    });

  beforeAll(async () => {
    gemini = await startFakeGemini({ apiKey: 'test-gemini-key' });
    if (options.withModel !== false) {
      model = createGeminiModel({ apiKey: 'test-gemini-key', baseUrl: gemini.url, backoffMs: 5 });
    }
    chat = newChat();
    owner = await platform.user('owner');
    workspaceId = await platform.workspace(owner, { connect: true });
  }, 60_000);

  afterAll(async () => {
    await gemini?.close();
  });

  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useChatRig: used outside a test');
    return value;
  };

  const rig: ChatRig = {
    platform,
    gemini: () => ready(gemini),
    chat: () => ready(chat),
    owner: () => ready(owner),
    workspaceId: () => ready(workspaceId),
    async caller() {
      const user = ready(owner);
      const principal = await platform.platform().authenticate(user.accessToken);
      const access: WorkspaceAccess = await platform
        .platform()
        .workspaces.access(principal, ready(workspaceId));
      return { access, bearer: user.accessToken };
    },
    async send(conversationId, text) {
      const run = await ready(chat).send(await rig.caller(), conversationId, text);
      return rig.eventsOf(run.id);
    },
    async eventsOf(runId) {
      return (await ready(chat).store.eventsAfter(runId, 0)).map((stored) => stored.event);
    },
    model: () => model,
    newChat(overrides) {
      ready(gemini);
      return newChat(overrides);
    },
  };
  return rig;
}
