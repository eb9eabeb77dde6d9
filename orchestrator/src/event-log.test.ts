import { openTestDatabase, type TestDatabase } from '@airsuite/platform-api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventLog } from './event-log.ts';
import type { ChatStore } from './store/chat-store.ts';
import { createPgChatStore } from './store/pg-chat-store.ts';

describe('the event log', () => {
  let database: TestDatabase;
  let store: ChatStore;
  let runId: string;
  let writes = 0;
  beforeAll(async () => {
    database = await openTestDatabase();
    const real = createPgChatStore(database.db);
    store = {
      ...real,
      appendEvents: async (id, events) => {
        writes += 1;
        await real.appendEvents(id, events);
      },
    };
    await database.db.query(
      "INSERT INTO users (id, email, password_hash) VALUES ('usr_e', 'e@example.com', 'x')",
    );
    await database.db.query("INSERT INTO workspaces (id, name) VALUES ('wsp_e', 'E')");
    const conversation = await store.createConversation({
      workspaceId: 'wsp_e',
      actor: { type: 'user', id: 'usr_e' },
    });
    const run = await store.startRun(conversation.id, 'wsp_e');
    runId = run?.id ?? '';
  });
  afterAll(() => database.close());

  it('numbers events in order, keeps progress in memory, and writes it in one batch at done', async () => {
    const log = createEventLog(store, 60_000);
    const first = await log.append(runId, { type: 'run_started', run_id: runId, conversation_id: 'c' });
    await log.append(runId, { type: 'text_delta', text: 'Hel' });
    await log.append(runId, { type: 'text_delta', text: 'lo' });
    expect(first).toMatchObject({ id: `${runId}:1`, seq: 1 });
    expect(log.unwritten(runId, 1).map((e) => e.seq)).toEqual([2, 3]);
    expect(await store.eventsAfter(runId, 0)).toEqual([]);
    await log.append(runId, { type: 'done', status: 'completed', text: 'Hello' });
    expect(writes).toBe(1);
    expect((await store.eventsAfter(runId, 0)).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(log.unwritten(runId, 0)).toEqual([]);
  });

  it('continues the numbering of a run resumed in another process', async () => {
    const restarted = createEventLog(store, 60_000);
    const next = await restarted.append(runId, {
      type: 'approval_decided',
      approval_id: 'apr_x',
      decision: 'approve',
    });
    expect(next.seq).toBe(5);
    expect((await store.eventsAfter(runId, 4)).map((e) => e.event.type)).toEqual(['approval_decided']);
  });

  it('writes waiting progress after the flush interval', async () => {
    const log = createEventLog(store, 20);
    const event = await log.append(runId, { type: 'text_delta', text: 'later' });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await store.eventsAfter(runId, event.seq - 1)).map((e) => e.seq)).toEqual([event.seq]);
  });
});
