import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useChatServer } from '../chat/chat-server-kit.ts';

// `airsuite chat` against an orchestrator without a Gemini key: the first message is refused
// before a conversation exists; the terminal prints the code and the advice once and exits 1.

const chatServer = useChatServer({ withModel: false });
const { rig } = chatServer;
const BIN = fileURLToPath(new URL('../../bin/airsuite.js', import.meta.url));

/** Runs the real command with `typed` on stdin (kept open, as a terminal is); stdout + stderr and the exit. */
function chat(args: string[], typed = ''): Promise<{ exit: number | string; output: string }> {
  const child = spawn(process.execPath, [BIN, 'chat', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...chatServer.env() },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  if (typed) child.stdin.write(typed);
  const deadline = setTimeout(() => child.kill('SIGKILL'), 15_000);
  return new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      clearTimeout(deadline);
      resolve({ exit: code ?? signal ?? 'unknown', output });
    }),
  );
}

const occurrences = (text: string, word: string) => text.split(word).length - 1;

const conversationRows = async () => {
  const [row] = await rig.platform
    .db()
    .query<{ n: number }>('SELECT count(*)::int AS n FROM conversations WHERE workspace_id = $1', [
      rig.workspaceId(),
    ]);
  return row?.n;
};

describe('airsuite chat without a model on the server', () => {
  it.each([
    ['--message', ['--message', 'How many deals?'], ''],
    ['the prompt', [], 'How many deals?\n'],
  ])(
    'from %s: prints CHAT_MODEL_NOT_CONFIGURED and the advice once, exits 1, leaves no conversation',
    async (_, args, typed) => {
      const { exit, output } = await chat(args, typed);
      expect(exit).toBe(1);
      expect(occurrences(output, 'CHAT_MODEL_NOT_CONFIGURED')).toBe(1);
      expect(occurrences(output, 'GEMINI_API_KEY')).toBe(1);
      expect(output).not.toContain('cnv_');
      expect(await conversationRows()).toBe(0);
    },
  );
});
