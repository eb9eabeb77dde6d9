import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FREE_PORTS } from '../start-test-kit.ts';

// README shows what `airsuite start` prints, line for line: the first start's banner, and the
// lines a later start prints in place of the secrets. The real command runs (from a new
// project folder, on free ports); ports, ids, secrets and the folder then read as README's.

const README = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
const BIN = fileURLToPath(new URL('../../bin/airsuite.js', import.meta.url));
/** README's ports, by the line that announces each service. */
const DEFAULT_PORTS: [RegExp, number][] = [
  [/^Airtable emulator listening on (http:\/\/\S+)/m, 8010],
  [/^Airtable gateway listening on (http:\/\/\S+)/m, 8002],
  [/^Platform API on (http:\/\/[^/\s]+)/m, 8080],
  [/^MCP server \(Streamable HTTP\) on (http:\/\/[^/\s]+)/m, 8001],
  [/^Chat on (http:\/\/[^/\s]+)/m, 8003],
];

const project = realpathSync(mkdtempSync(join(tmpdir(), 'airsuite-readme-')));
afterAll(() => rmSync(project, { recursive: true, force: true }));

/** Runs `airsuite start` in `project` (default data directory) until its banner is out; its stdout (the banner; logs go to stderr). */
function start(): Promise<string> {
  const child = spawn(process.execPath, [BIN, 'start', ...FREE_PORTS, '--orchestrator-port', '0'], {
    cwd: project,
    env: { PATH: process.env.PATH ?? '', HOME: project },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    if (out.includes('Press Ctrl-C to stop.')) child.kill('SIGINT');
  });
  return new Promise((resolve, reject) =>
    child.once('exit', () =>
      out.includes('Press Ctrl-C to stop.') ? resolve(out) : reject(new Error(`no banner:\n${out}${err}`)),
    ),
  );
}

/** The printed banner as README writes it: default ports, `…` for ids and secrets, /home/you/project. */
function asReadme(printed: string): string {
  let text = printed;
  for (const [pattern, port] of DEFAULT_PORTS) {
    const origin = pattern.exec(text)?.[1]?.replace(/(:\d+).*/, '$1');
    if (origin) text = text.replaceAll(origin, `http://127.0.0.1:${port}`);
  }
  return text
    .replaceAll(project, '/home/you/project')
    .replace(/\bpat[A-Za-z0-9.]{20,}/g, 'pat…')
    .replace(/\bask_live_[A-Za-z0-9_]{20,}/g, 'ask_live_…')
    .replace(/\bask_live_[A-Za-z0-9]{4}…/g, 'ask_live_abcd…')
    .replace(/\bpat[A-Za-z0-9]{3}…[A-Za-z0-9]{4}\b/g, 'patAbc…wxyz')
    .replace(/\bwsp_[A-Za-z0-9]+/g, 'wsp_…')
    .replace(/(owner@airsuite\.local \/ )[^\s(]+/, '$1…');
}

/** README's fenced block that starts with `firstLine`. */
function readmeBlock(firstLine: string): string[] {
  const start = README.indexOf(`\`\`\`\n${firstLine}`);
  if (start < 0) throw new Error(`README has no block starting with ${firstLine}`);
  const body = README.slice(start + 4, README.indexOf('\n```', start + 4));
  return body.split('\n');
}

// Claude Desktop's line depends on how airsuite was installed; its own spec checks it.
const desktop = (line: string) => (line.startsWith('    Claude Desktop: ') ? '    Claude Desktop: …' : line);

describe("README's sample banner", () => {
  it('is what the first start prints, and its secret lines are what a later start prints instead', async () => {
    const first = asReadme(await start())
      .trimEnd()
      .split('\n')
      .map(desktop);
    expect(first).toEqual(readmeBlock('Airtable emulator listening on').map(desktop));

    // README's excerpt of a later start (`…` for the lines it leaves out) is printed, in order.
    const excerpt = readmeBlock('  Token:').filter((line) => line !== '…');
    const later = asReadme(await start()).split('\n');
    expect(later.filter((line) => excerpt.includes(line))).toEqual(excerpt);
    expect(later.some((line) => line.startsWith('First start'))).toBe(false);
  }, 120_000);
});
