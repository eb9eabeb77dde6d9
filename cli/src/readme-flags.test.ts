import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from './main.ts';
import { readmeClaims } from './readme-claims.ts';
import { recordingIo } from './test-io.ts';

// README is where a new user copies commands from: every command it names exists, and every flag
// it lists is taken by the command it is listed for, as that command's --help says.

/** The READMEs that show `airsuite` commands, by their path in the repository. */
const READMES = ['README.md', 'airtable-emulator/README.md'].map((path) => ({
  path,
  text: readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'),
}));

async function help(...command: string[]): Promise<string> {
  const { io, out } = recordingIo();
  expect(await main(['node', 'airsuite', ...command, '--help'], io, {})).toBe(0);
  return out.join('\n');
}

/** The flags an option line of commander's help starts with: `-p, --port <port>` → -p, --port. */
function optionsOf(helpText: string): Set<string> {
  const flags = new Set<string>();
  for (const line of helpText.split('\n')) {
    const head = line.trim().split(/\s{2,}/)[0] ?? '';
    if (!head.startsWith('-')) continue;
    for (const token of head.split(/[\s,]+/)) if (/^--?[a-zA-Z]/.test(token)) flags.add(token);
  }
  return flags;
}

/** The commands `airsuite --help` lists. */
function commandsOf(helpText: string): string[] {
  const section = helpText.slice(helpText.indexOf('Commands:'));
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)(?: \[[a-z]+\])*\s{2,}/gm)].map((m) => m[1] as string);
}

let commands: string[];
const optionsByCommand = new Map<string, Set<string>>();

beforeAll(async () => {
  commands = commandsOf(await help()).filter((c) => c !== 'help');
  for (const command of commands) {
    const text = await help(command);
    const options = optionsOf(text);
    // A command with subcommands (`webhooks listen`): the flags README gives it are theirs.
    for (const sub of commandsOf(text).filter((c) => c !== 'help')) {
      for (const flag of optionsOf(await help(command, sub))) options.add(flag);
    }
    optionsByCommand.set(command, options);
  }
});

describe('README against the CLI', () => {
  it('finds what it checks: the commands table, the configuration table and the examples', () => {
    const claims = readmeClaims(READMES[0]?.text ?? '', commands);
    expect(claims.commands.length).toBeGreaterThan(10);
    expect(claims.flags.length).toBeGreaterThan(30);
    expect(claims.flags).toContainEqual(
      expect.objectContaining({ flag: '--gateway-port', commands: ['start'] }),
    );
    expect(claims.flags).toContainEqual(
      expect.objectContaining({ flag: '--per-base', commands: ['emulator', 'start'] }),
    );
    expect(claims.flags).toContainEqual(expect.objectContaining({ flag: '--message', commands: ['chat'] }));
  });

  it.each(READMES)('$path names only commands that exist', ({ path, text }) => {
    const unknown = readmeClaims(text, commands).commands.filter((c) => !commands.includes(c.command));
    expect(unknown.map((c) => `${path}:${c.line}: airsuite ${c.command}`)).toEqual([]);
  });

  it.each(READMES)(
    "$path lists only flags that the commands they are listed for take (each command's --help)",
    ({ path, text }) => {
      const wrong = readmeClaims(text, commands).flags.filter(({ flag, commands: owners }) =>
        owners.length === 0
          ? ![...optionsByCommand.values()].some((options) => options.has(flag))
          : owners.some((owner) => !optionsByCommand.get(owner)?.has(flag)),
      );
      expect(
        wrong.map((c) => `${path}:${c.line}: ${c.flag} (${c.commands.join(', ') || 'any command'})`),
      ).toEqual([]);
    },
  );
});

describe('readmeClaims', () => {
  const known = ['start', 'gateway', 'emulator', 'chat'];

  it('gives a flag to the airsuite command before it, in code, prose and table rows', () => {
    const claims = readmeClaims(
      [
        '```sh',
        'npx airsuite emulator --seed sample --no-rate-limits',
        'claude mcp add --transport http airsuite http://127.0.0.1:8001/mcp',
        '```',
        '',
        'Run `airsuite chat` for a prompt,',
        'or `--message "…"` for scripts.',
        '',
        '| command | what it does |',
        '|---|---|',
        '| `airsuite start` | everything; `--fresh` starts over |',
      ].join('\n'),
      known,
    );
    expect(claims.commands.map((c) => c.command)).toEqual(['emulator', 'chat', 'start']);
    expect(claims.flags.map((c) => [c.flag, c.commands])).toEqual([
      ['--seed', ['emulator']],
      ['--no-rate-limits', ['emulator']],
      ['--message', ['chat']],
      ['--fresh', ['start']],
    ]);
  });

  it('reads qualifiers and variable prefixes in the configuration table', () => {
    const claims = readmeClaims(
      [
        '| variable | flag | default | meaning |',
        '|---|---|---|---|',
        '| `GATEWAY_PORT` | `--port` (`--gateway-port` for `start`) | `8002` | gateway port |',
        '| `EMULATOR_TOKEN` | `--token` (repeatable) | generated | tokens |',
        '| `REDIS_URL` | `--redis` (gateway) | | Redis |',
        '| `AIRTABLE_API_URL` | `--upstream` | | upstream |',
      ].join('\n'),
      known,
    );
    expect(claims.flags.map((c) => [c.flag, c.commands])).toEqual([
      ['--port', ['gateway']],
      ['--gateway-port', ['start']],
      ['--token', ['emulator', 'start']],
      ['--redis', ['gateway']],
      ['--upstream', []],
    ]);
  });
});
