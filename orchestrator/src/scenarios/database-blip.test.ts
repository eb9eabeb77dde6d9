import { randomBytes } from 'node:crypto';
import { createGatewayEngine, type GatewayEngine } from '@airsuite/airtable-gateway';
import { type FakeGemini, startFakeGemini } from '@airsuite/evals/fake-gemini';
import { inMemoryMcpClients } from '@airsuite/mcp-server';
import {
  createPlatform,
  type Database,
  openDatabase,
  type Platform,
  type RunningHttpServer,
} from '@airsuite/platform-api';
import {
  type CuttableLink,
  callRest,
  createScratchDatabase,
  createWorkspace,
  type ScratchDatabase,
  signUp,
  startCuttableLink,
} from '@airsuite/platform-api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgCancelBus } from '../cancel-bus.ts';
import { type Caller, type ChatService, createChatService } from '../chat-service.ts';
import { startOrchestratorServer } from '../http/server.ts';
import { createGeminiModel } from '../model/gemini-model.ts';
import { createPgChatStore } from '../store/pg-chat-store.ts';

/**
 * The chat when PostgreSQL cuts or loses its connections. A cancel travels between
 * processes by NOTIFY, so the process running an answer must LISTEN again after its connection
 * was terminated; and while the database is out of reach, the chat's HTTP face answers 503
 * with a code, never a crash or an error that blames the client. Each part severs only its
 * own connections (a scratch database, a link).
 */

const serverUrl = process.env.DATABASE_URL;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

/** One chat process: its own database connections, platform services and chat service. */
interface ChatProcess {
  db: Database;
  platform: Platform;
  chat: ChatService;
  close(): Promise<void>;
}

describe.skipIf(!serverUrl)(
  'cancelling an answer from another process after the connections were cut',
  () => {
    const secretKey = randomBytes(32);
    let scratch: ScratchDatabase;
    let engine: GatewayEngine;
    let gemini: FakeGemini;
    let server: RunningHttpServer;
    const processes: ChatProcess[] = [];

    async function chatProcess(): Promise<ChatProcess> {
      const db = await openDatabase({ databaseUrl: scratch.url, dataDir: '.' });
      const platform = await createPlatform({ db, engine, secretKey });
      const model = createGeminiModel({ apiKey: 'test-gemini-key', baseUrl: gemini.url, backoffMs: 5 });
      const chat = createChatService({
        store: createPgChatStore(db),
        connect: inMemoryMcpClients(platform),
        modelFor: async () => model,
        cancelBus: pgCancelBus(db),
      });
      const made = {
        db,
        platform,
        chat,
        async close() {
          await chat.close();
          await platform.close();
          await db.close();
        },
      };
      processes.push(made);
      return made;
    }

    beforeAll(async () => {
      scratch = await createScratchDatabase(serverUrl ?? '', 'airsuite_blip');
      engine = await createGatewayEngine({ upstreamUrl: 'http://127.0.0.1:9' });
      gemini = await startFakeGemini({ apiKey: 'test-gemini-key' });
    }, 60_000);
    afterAll(async () => {
      server?.app.server.closeAllConnections();
      await server?.close();
      for (const made of processes) await made.close();
      await gemini?.close();
      await engine?.close();
      await scratch?.drop();
    });

    it('reaches the running answer through the re-subscribed LISTEN', async () => {
      const runner = await chatProcess();
      const other = await chatProcess();
      server = await startOrchestratorServer({ platform: runner.platform, chat: runner.chat, port: 0 });
      const owner = await signUp(server.url, 'owner');
      const workspaceId = await createWorkspace(server.url, owner);
      const callerOf = async (made: ChatProcess): Promise<Caller> => {
        const principal = await made.platform.authenticate(owner.accessToken);
        return {
          access: await made.platform.workspaces.access(principal, workspaceId),
          bearer: owner.accessToken,
        };
      };

      // Every connection of both processes is cut; both must LISTEN again before a cancel can travel.
      expect(await scratch.terminateBackends()).toBeGreaterThan(0);
      await until(async () => (await scratch.listeners()) >= 2);

      const caller = await callerOf(runner);
      const conversation = await runner.chat.create(caller);
      gemini.enqueue({ hang: true });
      const running = runner.chat.send(caller, conversation.id, 'Take your time');
      await until(async () => (await other.chat.store.openRun(conversation.id))?.status === 'running');
      expect(await other.chat.cancel(await callerOf(other), conversation.id)).toBe(true);
      const run = await running;
      expect(run.status).toBe('cancelled');
      expect(run.errorCode).toBe('CHAT_CANCELLED');
    });
  },
);

describe.skipIf(!serverUrl)('the chat API while PostgreSQL cannot be reached', () => {
  const secretKey = randomBytes(32);
  let scratch: ScratchDatabase;
  let link: CuttableLink;
  let engine: GatewayEngine;
  let db: Database;
  let platform: Platform;
  let chat: ChatService;
  let server: RunningHttpServer;

  beforeAll(async () => {
    scratch = await createScratchDatabase(serverUrl ?? '', 'airsuite_blip');
    link = await startCuttableLink(scratch.url);
    engine = await createGatewayEngine({ upstreamUrl: 'http://127.0.0.1:9' });
    db = await openDatabase({ databaseUrl: link.url, dataDir: '.' });
    platform = await createPlatform({ db, engine, secretKey });
    chat = createChatService({
      store: createPgChatStore(db),
      connect: inMemoryMcpClients(platform),
      // A model is configured (without one a conversation is refused before the database is asked);
      // this spec starts conversations only, so nothing ever calls it.
      modelFor: async () => ({
        model: 'unused',
        generate: () => Promise.reject(new Error('this spec sends no message')),
      }),
      cancelBus: pgCancelBus(db),
    });
    server = await startOrchestratorServer({ platform, chat, port: 0 });
  }, 60_000);
  afterAll(async () => {
    server?.app.server.closeAllConnections();
    await server?.close();
    await chat?.close();
    await platform?.close();
    await db?.close();
    await engine?.close();
    await link?.close();
    await scratch?.drop();
  });

  it('answers 503 DATABASE_UNAVAILABLE with Retry-After, then serves again once it is back', async () => {
    const owner = await signUp(server.url, 'owner');
    const workspaceId = await createWorkspace(server.url, owner);
    const startConversation = () =>
      callRest(server.url, 'POST', '/v1/conversations', {
        bearer: owner.accessToken,
        body: { workspace_id: workspaceId },
      });
    expect((await startConversation()).status).toBe(201);

    await link.cut();
    const refused = await startConversation();
    expect(refused.status).toBe(503);
    expect(refused.code).toBe('DATABASE_UNAVAILABLE');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await callRest(server.url, 'GET', '/healthz')).status).toBe(503);

    await link.restore();
    await until(async () => (await callRest(server.url, 'GET', '/healthz')).status === 200);
    expect((await startConversation()).status).toBe(201);
  });
});
