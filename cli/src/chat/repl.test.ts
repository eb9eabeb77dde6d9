import { SAMPLE_CRM } from '@airsuite/orchestrator/testing';
import { describe, expect, it } from 'vitest';
import { runChat } from '../commands/chat.ts';
import { recordingIo } from '../test-io.ts';
import { useChatServer } from './chat-server-kit.ts';
import type { ChatFlags } from './chat-settings.ts';
import { recordingTerminal } from './test-terminal.ts';

const chatServer = useChatServer();
const { rig } = chatServer;

/** The interactive chat over a PassThrough stdin; resolves with its output once it ends. */
function interactive(flags: ChatFlags = {}) {
  const term = recordingTerminal();
  const { io } = recordingIo();
  const env = chatServer.env();
  const done = runChat(flags, { io, env, terminal: term.terminal }).then(() => term.output());
  return { ...term, done };
}

async function until(read: () => string, text: string): Promise<void> {
  for (let i = 0; i < 400 && !read().includes(text); i++) await new Promise((r) => setTimeout(r, 25));
  expect(read()).toContain(text);
}

const deleteCall = (recordId: string) => ({
  name: 'delete_records',
  args: { base_id: SAMPLE_CRM, table: 'Companies', record_ids: [recordId] },
});

describe('airsuite chat (interactive)', () => {
  it('answers two messages in one conversation, then /quit', async () => {
    rig.gemini().enqueue({ text: 'Hello there.' }, { text: 'Still here.' });
    const chat = interactive();
    chat.type('Hi', 'Are you there?', '/quit');
    const output = await chat.done;
    expect(output).toContain('new conversation · /help for commands');
    expect(output).toMatch(/conversation cnv_\w+ \(resume with: airsuite chat --conversation cnv_\w+\)/);
    expect(output).toMatch(/you › conversation cnv_\w+ \(resume with: [^)]+\)\nHello there\./);
    expect(output).toContain('Still here.');
    // The second message saw the first: one conversation.
    const contents = rig.gemini().requests.at(-1)?.body.contents ?? [];
    expect(contents.filter((c) => c.role === 'user')).toHaveLength(2);
  });

  it('makes no conversation until the first message, and /new starts another', async () => {
    const count = async () =>
      (
        await rig.platform
          .db()
          .query<{ n: number }>('SELECT count(*)::int AS n FROM conversations WHERE workspace_id = $1', [
            rig.workspaceId(),
          ])
      )[0]?.n ?? 0;
    const before = await count();
    const idle = interactive();
    idle.type('/help', '/quit');
    await idle.done;
    expect(await count()).toBe(before);

    rig.gemini().enqueue({ text: 'First.' }, { text: 'Second.' });
    const chat = interactive();
    chat.type('One', '/new', 'Two', '/quit');
    const output = await chat.done;
    const ids = [...output.matchAll(/conversation (cnv_\w+) \(resume/g)].map((match) => match[1]);
    expect(ids).toHaveLength(2);
    expect(ids[0]).not.toBe(ids[1]);
    expect(await count()).toBe(before + 2);
  });

  it('lists its commands with /help and ends at the end of input', async () => {
    const chat = interactive();
    chat.type('/help', '/nope');
    chat.end();
    const output = await chat.done;
    for (const command of ['/new', '/cancel', '/quit']) expect(output).toContain(command);
    expect(output).toContain('unknown command /nope');
  });

  it('asks for an approval; y approves and the continuation streams', async () => {
    rig
      .gemini()
      .enqueue({ functionCalls: [deleteCall('recDoesNotExist10')] }, { text: 'I tried to delete it.' });
    const chat = interactive();
    chat.type('Delete that company', 'y', '/quit');
    const output = await chat.done;
    expect(output).toContain('delete_records needs your approval (destructive)');
    expect(output).toContain('"recDoesNotExist10"');
    expect(output).toContain('Approve? [y]es / [n]o / [e]dit: ');
    expect(output).toContain('approved');
    expect(output).toContain('→ delete_records(');
    expect(output).toContain('I tried to delete it.');
  });

  it('n denies with the reason typed next, which the model reads', async () => {
    rig.gemini().enqueue({ functionCalls: [deleteCall('recDoesNotExist11')] }, { text: 'Kept it.' });
    const chat = interactive();
    chat.type('Delete it', 'n', 'keep it please', '/quit');
    const output = await chat.done;
    expect(output).toContain('denied: keep it please');
    expect(output).not.toContain('→ delete_records(');
    expect(output).toContain('Kept it.');
    const parts = rig.gemini().requests.at(-1)?.body.contents?.at(-1)?.parts ?? [];
    expect(parts[0]?.functionResponse?.response).toMatchObject({
      error: { code: 'USER_DENIED', message: expect.stringContaining('keep it please') },
    });
  });

  it('e edits the arguments as one line of JSON, asking again until it parses', async () => {
    rig.gemini().enqueue({ functionCalls: [deleteCall('recDoesNotExist12')] }, { text: 'Edited.' });
    const edited = deleteCall('recDoesNotExist13').args;
    const chat = interactive();
    chat.type('Delete it', 'e', '{not json', '[1]', JSON.stringify(edited), '/quit');
    const output = await chat.done;
    expect(output.match(/not a JSON object; try again/g)).toHaveLength(2);
    expect(output).toContain('edited and approved');
    expect(output).toContain('record_ids=["recDoesNotExist13"]');
    expect(output).toContain('Edited.');
  });

  it('Ctrl-C while an answer streams cancels the run, and the prompt comes back', async () => {
    rig.gemini().enqueue({ hang: true });
    const chat = interactive();
    chat.type('Think forever');
    await until(chat.output, 'you › ');
    await new Promise((r) => setTimeout(r, 300));
    chat.interrupt();
    await until(chat.output, '(cancelled)');
    expect(chat.output()).toContain('✗ CHAT_CANCELLED');
    chat.type('/quit');
    await chat.done;
  });

  it('--conversation shows the recent turns, then goes on in that conversation', async () => {
    rig.gemini().enqueue({ text: 'First answer.' });
    const first = interactive();
    first.type('First question', '/quit');
    const id = /conversation (cnv_\w+)/.exec(await first.done)?.[1] ?? '';
    rig.gemini().enqueue({ text: 'Second answer.' });
    const again = interactive({ conversation: id });
    again.type('Second question', '/quit');
    const output = await again.done;
    expect(output).toContain('you › First question');
    expect(output).toContain('First answer.');
    expect(output).toContain(`conversation ${id}`);
    expect(output).toContain('Second answer.');
  });
});
