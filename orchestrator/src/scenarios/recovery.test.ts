import { inMemoryMcpClients } from '@airsuite/mcp-server';
import { describe, expect, it } from 'vitest';
import { pgCancelBus } from '../cancel-bus.ts';
import { createChatService } from '../chat-service.ts';
import { createPgChatStore } from '../store/pg-chat-store.ts';
import { useChatRig } from '../testing/chat-rig.ts';

const rig = useChatRig();

const service = () =>
  createChatService({
    store: createPgChatStore(rig.platform.db()),
    connect: inMemoryMcpClients(rig.platform.platform()),
    modelFor: async () => rig.model(),
    cancelBus: pgCancelBus(rig.platform.db()),
  });

describe('a run whose process stopped', () => {
  it('no longer blocks the conversation: it is ended as failed and the next message runs', async () => {
    const caller = await rig.caller();
    const conversation = await rig.chat().create(caller);
    // What a crash leaves: a run still "running", long silent, after a model turn that called a tool.
    const run = await rig.chat().store.startRun(conversation.id, conversation.workspaceId);
    await rig.chat().store.appendTurns(conversation.id, run?.id ?? '', [
      { role: 'user', parts: [{ text: 'List the bases' }] },
      { role: 'model', parts: [{ functionCall: { name: 'list_bases', args: {} } }] },
    ]);
    await rig.platform
      .db()
      .query("UPDATE runs SET updated_at = now() - interval '1 hour' WHERE id = $1", [run?.id]);

    rig.gemini().enqueue({ text: 'Back again.' });
    const events = await rig.send(conversation.id, 'Are you there?');
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'completed' });
    expect((await rig.chat().store.getRun(run?.id ?? ''))?.status).toBe('failed');
    // Gemini got a valid history: the dangling call answered as interrupted.
    const contents = rig.gemini().requests.at(-1)?.body.contents ?? [];
    const interrupted = contents.flatMap((c) => c.parts ?? []).find((p) => p.functionResponse);
    expect(interrupted?.functionResponse).toMatchObject({
      name: 'list_bases',
      response: { error: { code: 'INTERRUPTED' } },
    });
  });
});

describe('cancel from another process', () => {
  it('reaches the process running the answer through the database', async () => {
    const runner = service();
    const other = service();
    const caller = await rig.caller();
    const conversation = await runner.create(caller);
    rig.gemini().enqueue({ hang: true });
    const running = runner.send(caller, conversation.id, 'Take your time');
    for (let i = 0; i < 100 && !runner.isRunning(conversation.id); i++)
      await new Promise((r) => setTimeout(r, 20));
    // Wait until the run is stored as running, then ask the other process to cancel it.
    for (let i = 0; i < 100; i++) {
      if ((await other.store.openRun(conversation.id))?.status === 'running') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await other.cancel(caller, conversation.id)).toBe(true);
    const run = await running;
    expect(run.status).toBe('cancelled');
    expect(run.errorCode).toBe('CHAT_CANCELLED');
    await runner.close();
    await other.close();
  });
});
