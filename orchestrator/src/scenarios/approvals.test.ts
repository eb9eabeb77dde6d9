import { describe, expect, it } from 'vitest';
import { SAMPLE_CRM, useChatRig } from '../testing/chat-rig.ts';
import { answersIn, emulatorHas, ofType, seedCompanies } from './scenario-kit.ts';

const rig = useChatRig({ limits: { bulkWriteThreshold: 2 } });

/** Seeds companies, then has the model ask to delete them: the run pauses for approval. */
async function pausedDelete(names: string[]) {
  const ids = await seedCompanies(rig, names);
  const args = { base_id: SAMPLE_CRM, table: 'Companies', record_ids: ids };
  rig.gemini().enqueue({ functionCalls: [{ name: 'delete_records', args }] });
  const caller = await rig.caller();
  const conversation = await rig.chat().create(caller);
  const events = await rig.send(conversation.id, `Delete ${names.join(' and ')}`);
  const [approval] = ofType(events, 'approval_requested');
  if (!approval) throw new Error(`no approval requested: ${JSON.stringify(events)}`);
  return { ids, args, caller, conversation, events, approval };
}

describe('a destructive call', () => {
  it('pauses with the exact arguments and a dry-run preview; approved, it runs', async () => {
    const { ids, args, caller, conversation, events, approval } = await pausedDelete([
      'Approve Me One',
      'Approve Me Two',
    ]);
    expect(approval).toMatchObject({ name: 'delete_records', arguments: args, reason: 'destructive' });
    expect(approval.preview).toMatchObject({
      dry_run: true,
      would_delete: [
        { id: ids[0], primary: 'Approve Me One' },
        { id: ids[1], primary: 'Approve Me Two' },
      ],
    });
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'awaiting_approval' });
    expect((await rig.chat().store.latestRun(conversation.id))?.status).toBe('awaiting_approval');
    // The dry run changed nothing.
    expect(await emulatorHas(rig, 'Companies', ids[0] as string)).toBe(true);

    rig.gemini().enqueue({ text: 'Deleted both.' });
    const decided = await rig.chat().decide(caller, conversation.id, approval.approval_id, {
      decision: 'approve',
    });
    expect(decided).toMatchObject({ resumed: true, run: { status: 'completed' } });
    for (const id of ids) expect(await emulatorHas(rig, 'Companies', id)).toBe(false);
    const [answer] = answersIn(rig.gemini().requests.at(-1));
    expect(answer?.response).toMatchObject({ output: { deleted: 2 } });
  });

  it('denied with a reason, tells the model USER_DENIED and changes nothing', async () => {
    const { ids, caller, conversation, approval } = await pausedDelete(['Deny Me Ltd']);
    const before = rig.gemini().requests.length;
    rig.gemini().enqueue({ text: 'I left it in place.' });
    const decided = await rig.chat().decide(caller, conversation.id, approval.approval_id, {
      decision: 'deny',
      reason: 'they are still a customer',
    });
    expect(decided.run.status).toBe('completed');
    expect(rig.gemini().requests.length).toBe(before + 1);
    const [answer] = answersIn(rig.gemini().requests.at(-1));
    expect(answer).toMatchObject({ name: 'delete_records', response: { error: { code: 'USER_DENIED' } } });
    // The user's reason reaches the model.
    expect(JSON.stringify(answer?.response.error)).toContain('they are still a customer');
    expect(await emulatorHas(rig, 'Companies', ids[0] as string)).toBe(true);

    // Deciding again, or an approval that does not exist, is a typed error.
    await expect(
      rig.chat().decide(caller, conversation.id, approval.approval_id, { decision: 'approve' }),
    ).rejects.toMatchObject({ code: 'CHAT_APPROVAL_ALREADY_DECIDED' });
    await expect(
      rig.chat().decide(caller, conversation.id, 'apr_doesnotexist', { decision: 'approve' }),
    ).rejects.toMatchObject({ code: 'CHAT_APPROVAL_NOT_FOUND' });
  });

  it('edited, runs with the edited arguments and says so', async () => {
    const { ids, args, caller, conversation, approval } = await pausedDelete([
      'Edit Keep Co',
      'Edit Drop Co',
    ]);
    const edited = { ...args, record_ids: [ids[1]] };
    rig.gemini().enqueue({ text: 'Deleted one.' });
    const decided = await rig.chat().decide(caller, conversation.id, approval.approval_id, {
      decision: 'edit',
      arguments: edited,
    });
    expect(decided.run.status).toBe('completed');
    const [answer] = answersIn(rig.gemini().requests.at(-1));
    expect(answer?.response).toMatchObject({ output: { deleted: 1 }, edited_arguments: edited });
    expect(await emulatorHas(rig, 'Companies', ids[0] as string)).toBe(true);
    expect(await emulatorHas(rig, 'Companies', ids[1] as string)).toBe(false);
  });

  it('as a dry run never asks', async () => {
    const ids = await seedCompanies(rig, ['Dry Run Co']);
    rig.gemini().enqueue(
      {
        functionCalls: [
          {
            name: 'delete_records',
            args: { base_id: SAMPLE_CRM, table: 'Companies', record_ids: ids, dry_run: true },
          },
        ],
      },
      { text: 'That would delete Dry Run Co.' },
    );
    const conversation = await rig.chat().create(await rig.caller());
    const events = await rig.send(conversation.id, 'What would deleting Dry Run Co do?');
    expect(ofType(events, 'approval_requested')).toHaveLength(0);
    expect(ofType(events, 'tool_call_finished')[0]).toMatchObject({ name: 'delete_records', ok: true });
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'completed' });
    expect(await emulatorHas(rig, 'Companies', ids[0] as string)).toBe(true);
  });
});

describe('a bulk write over the threshold', () => {
  it('asks too, with a preview, and runs once approved', async () => {
    const records = ['Bulk A', 'Bulk B', 'Bulk C'].map((Name) => ({ fields: { Name } }));
    const args = { base_id: SAMPLE_CRM, table: 'Companies', records };
    rig.gemini().enqueue({ functionCalls: [{ name: 'create_records', args }] });
    const caller = await rig.caller();
    const conversation = await rig.chat().create(caller);
    const events = await rig.send(conversation.id, 'Add three companies');
    const [approval] = ofType(events, 'approval_requested');
    expect(approval).toMatchObject({ name: 'create_records', arguments: args, reason: 'bulk_write' });
    expect(approval?.preview).toMatchObject({ dry_run: true, would_create: [{}, {}, {}] });

    rig.gemini().enqueue({ text: 'Added.' });
    const decided = await rig.chat().decide(caller, conversation.id, approval?.approval_id ?? '', {
      decision: 'approve',
    });
    expect(decided.run.status).toBe('completed');
    const [answer] = answersIn(rig.gemini().requests.at(-1));
    expect(answer?.response).toMatchObject({ output: { created: 3 } });
  });
});

describe('a paused run after a restart', () => {
  it('is decided and completed by a new chat service over the same database', async () => {
    const { ids, caller, conversation, approval } = await pausedDelete(['Restart Gone Co']);
    // What a restarted process has: a new store, a new MCP connector, nothing in memory.
    const restarted = rig.newChat();
    expect(restarted.isRunning(conversation.id)).toBe(false);
    rig.gemini().enqueue({ text: 'Deleted after the restart.' });
    const decided = await restarted.decide(caller, conversation.id, approval.approval_id, {
      decision: 'approve',
    });
    expect(decided).toMatchObject({ resumed: true, run: { status: 'completed' } });
    expect(await emulatorHas(rig, 'Companies', ids[0] as string)).toBe(false);
    const events = (await restarted.store.eventsAfter(decided.run.id, 0)).map((e) => e.event);
    expect(events.at(-1)).toMatchObject({
      type: 'done',
      status: 'completed',
      text: 'Deleted after the restart.',
    });
  });
});

describe('cancelling a run that waits for approval', () => {
  it('answers the paused calls so the conversation can go on', async () => {
    const { ids, caller, conversation } = await pausedDelete(['Cancel Me']);
    expect(await rig.chat().cancel(caller, conversation.id)).toBe(true);
    expect((await rig.chat().store.latestRun(conversation.id))?.status).toBe('cancelled');
    expect(await emulatorHas(rig, 'Companies', ids[0] as string)).toBe(true);
    rig.gemini().enqueue({ text: 'Understood, nothing was deleted.' });
    const events = await rig.send(conversation.id, 'Never mind.');
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'completed' });
    const request = rig.gemini().requests.at(-1);
    // One user turn: the cancelled call's answer, then the new message.
    const [cancelled, message] = request?.body.contents?.at(-1)?.parts ?? [];
    expect(cancelled?.functionResponse).toMatchObject({
      name: 'delete_records',
      response: { error: { code: 'USER_CANCELLED' } },
    });
    expect(message?.text).toBe('Never mind.');
  });
});

// Last in the file: were it to pause, its unused scripted answer could not derail a later spec.
describe('a bulk write of exactly the threshold', () => {
  it('runs without asking: only writes touching more records than the threshold wait', async () => {
    // Two records: exactly this file's threshold (bulkWriteThreshold: 2).
    const records = ['At Limit A', 'At Limit B'].map((Name) => ({ fields: { Name } }));
    rig.gemini().enqueue(
      {
        functionCalls: [
          { name: 'create_records', args: { base_id: SAMPLE_CRM, table: 'Companies', records } },
        ],
      },
      { text: 'Added both.' },
    );
    const conversation = await rig.chat().create(await rig.caller());
    const events = await rig.send(conversation.id, 'Add two companies');
    expect(ofType(events, 'approval_requested')).toHaveLength(0);
    expect(ofType(events, 'tool_call_finished')[0]).toMatchObject({ name: 'create_records', ok: true });
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'completed' });
    const [answer] = answersIn(rig.gemini().requests.at(-1));
    expect(answer?.response).toMatchObject({ output: { created: 2 } });
  });
});
