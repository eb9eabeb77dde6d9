import { SAMPLE_CRM } from '@airsuite/orchestrator/testing';
import { describe, expect, it } from 'vitest';
import { useChatServer } from '../chat/chat-server-kit.ts';
import { recordingTerminal } from '../chat/test-terminal.ts';
import { main } from '../main.ts';
import { recordingIo } from '../test-io.ts';
import { runChat } from './chat.ts';

const chatServer = useChatServer();
const { rig } = chatServer;

/** `airsuite chat --message <text>` against the test server; the error it ends with, if any. */
async function oneShot(message: string, options: { isTTY?: boolean; env?: Record<string, string> } = {}) {
  const term = recordingTerminal({ isTTY: options.isTTY ?? false });
  const { io } = recordingIo();
  const env = { ...chatServer.env(), ...options.env };
  const error = await runChat({ message }, { io, env, terminal: term.terminal }).then(
    () => undefined,
    (e: unknown) => e as { exitCode: number; message: string },
  );
  return { output: term.output(), error };
}

const deleteCall = {
  name: 'delete_records',
  args: { base_id: SAMPLE_CRM, table: 'Companies', record_ids: ['recDoesNotExist00'] },
};

describe('airsuite chat --message', () => {
  it('streams the answer with its tool calls and usage, and exits 0', async () => {
    rig
      .gemini()
      .enqueue(
        { functionCalls: [{ name: 'list_records', args: { base_id: SAMPLE_CRM, table: 'Deals' } }] },
        { text: ['There are ', 'some deals.'] },
      );
    const { output, error } = await oneShot('How many deals?');
    expect(error).toBeUndefined();
    expect(output).toContain(`→ list_records(base_id=${SAMPLE_CRM}, table=Deals)`);
    expect(output).toMatch(/✓ .+/);
    expect(output).toContain('There are some deals.');
    expect(output).toMatch(/\n[\d,]+ tokens \(prompt [\d,]+, output [\d,]+\) · 1 tool call · 2 steps\n$/);
  });

  it('exits 3 when the answer stops at an approval, and says how to go on', async () => {
    rig.gemini().enqueue({ functionCalls: [deleteCall] });
    const { output, error } = await oneShot('Delete that company');
    expect(error?.exitCode).toBe(3);
    expect(error?.message).toMatch(/--conversation cnv_/);
    expect(output).toContain('delete_records needs your approval (destructive)');
    expect(output).not.toContain('Approve?');
  });

  it('exits 1 when the run fails, printing the error code', async () => {
    rig.gemini().enqueue({ error: { code: 400, status: 'INVALID_ARGUMENT', message: 'Bad request.' } });
    const { output, error } = await oneShot('Hello');
    expect(error?.exitCode).toBe(1);
    expect(output).toMatch(/✗ CHAT_MODEL_\w+: /);
  });

  it('uses colours only on a terminal without NO_COLOR', async () => {
    const ansiEscape = '\u001b[';
    rig.gemini().enqueue({ text: 'Plain.' }, { text: 'Coloured.' }, { text: 'Plain again.' });
    const piped = await oneShot('Hi');
    expect(piped.output).toContain('Plain.');
    expect(piped.output).not.toContain(ansiEscape);
    const tty = await oneShot('Hi', { isTTY: true });
    expect(tty.output).toContain(ansiEscape);
    const noColor = await oneShot('Hi', { isTTY: true, env: { NO_COLOR: '1' } });
    expect(noColor.output).toContain('Plain again.');
    expect(noColor.output).not.toContain(ansiEscape);
  });

  it('exits 2 when the API key is refused', async () => {
    const { error } = await oneShot('Hi', { env: { AIRSUITE_API_KEY: 'ask_live_notARealKey000000000000' } });
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toContain('the API key was refused');
  });
});

describe('airsuite chat (through main)', () => {
  it('documents its flags and environment in --help', async () => {
    const { io, out } = recordingIo();
    expect(await main(['node', 'airsuite', 'chat', '--help'], io, {})).toBe(0);
    const help = out.join('\n');
    for (const word of [
      '--url',
      '--api-key',
      '--workspace',
      '--conversation',
      '--message',
      'ORCHESTRATOR_URL',
    ]) {
      expect(help).toContain(word);
    }
    expect(help).toContain('AIRSUITE_API_KEY');
    expect(help).toContain('NO_COLOR');
  });

  it('exits 2 without an API key, saying which variable to set', async () => {
    const { io, err } = recordingIo();
    expect(await main(['node', 'airsuite', 'chat', '--message', 'hi'], io, {})).toBe(2);
    expect(err.join('\n')).toContain('AIRSUITE_API_KEY');
  });

  it('exits 1 when the orchestrator is unreachable, naming its URL', async () => {
    const { io, err } = recordingIo();
    const env = { AIRSUITE_API_KEY: 'ask_live_whatever', ORCHESTRATOR_URL: 'http://127.0.0.1:1' };
    expect(await main(['node', 'airsuite', 'chat', '--message', 'hi'], io, env)).toBe(1);
    expect(err.join('\n')).toContain('cannot reach the orchestrator at http://127.0.0.1:1');
  });
});
