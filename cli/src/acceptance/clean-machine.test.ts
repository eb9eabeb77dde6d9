import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createEmulator, type RunningEmulator } from '@airsuite/airtable-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printedDesktopServer, withDesktopServer } from '../desktop-config-kit.ts';
import { FREE_PORTS } from '../start-test-kit.ts';

// Issue 11's clean machine check: the package `npm pack` makes, installed globally into an
// empty prefix, works with nothing of the repository around it: `airsuite --help`, the stdio
// MCP server against an emulator (tools/list and a call), and `airsuite start`, whose printed
// Claude Desktop config starts the installed relay from another folder.

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TOKEN = 'patCleanMachine0001';

const PATH = `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`;
/** For npm: this machine's environment (its CA certificates, say) without what `npm test` and vitest add. */
const npmEnv = (): Record<string, string> => ({
  ...Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && !/^(npm_|vitest|node_env$|node_options$|init_cwd$)/i.test(entry[0]),
    ),
  ),
  PATH,
});
/** For airsuite: a bare environment, as a desktop app gives the commands it starts. */
const cleanEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
  PATH,
  HOME: process.env.HOME ?? tmpdir(),
  ...extra,
});

let work: string;
let prefix: string;
let bin: string;
let installOutput: string;
let emulator: RunningEmulator | undefined;
const children: ChildProcess[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'airsuite-clean-machine-'));
  prefix = join(work, 'prefix');
  mkdirSync(prefix);
  // `npm pack` runs prepack, the build: the tarball holds compiled JavaScript only.
  await run('npm', ['pack', '--workspace', 'cli', '--pack-destination', work], {
    cwd: ROOT,
    env: npmEnv(),
    maxBuffer: 16 * 1024 * 1024,
  });
  const tarballs = readdirSync(work).filter((name) => name.endsWith('.tgz'));
  expect(tarballs).toHaveLength(1);
  const [filename = ''] = tarballs;
  // From the local cache when it has the packages (this machine's npm install filled it).
  const installed = await run(
    'npm',
    [
      'install',
      '--global',
      '--prefix',
      prefix,
      join(work, filename),
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
    ],
    { cwd: work, env: npmEnv(), maxBuffer: 16 * 1024 * 1024 },
  );
  installOutput = `${installed.stdout}${installed.stderr}`;
  bin = join(prefix, 'bin', 'airsuite');
  emulator = await createEmulator({
    port: 0,
    seed: 'sample',
    tokens: [TOKEN],
    rateLimits: { enabled: false },
  });
}, 300_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await emulator?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('airsuite installed from its tarball on a clean machine', () => {
  it('installs without a warning, with compiled code and runtime dependencies only', () => {
    expect(installOutput).toMatch(/added \d+ packages/);
    expect(installOutput).not.toMatch(/\bwarn|\bERR/i);
    const pkg = join(prefix, 'lib', 'node_modules', '@airsuite', 'cli');
    expect(readdirSync(pkg).sort()).toEqual(
      ['bin', 'dist', 'node_modules', 'package.json', 'README.md'].sort(),
    );
    const modules = readdirSync(join(pkg, 'node_modules'));
    for (const devOnly of ['tsx', 'typescript', 'esbuild', 'vitest', '@biomejs'])
      expect(modules).not.toContain(devOnly);
    // Our workspaces are compiled into dist/, never installed from the registry.
    expect(existsSync(join(pkg, 'node_modules', '@airsuite'))).toBe(false);
  });

  it('answers --help from any folder', async () => {
    const help = await run(bin, ['--help'], { cwd: work, env: cleanEnv() });
    for (const command of ['start', 'mcp', 'emulator', 'chat']) expect(help.stdout).toContain(command);
  });

  it('serves the tools over stdio with AIRTABLE_TOKEN: tools/list, and a call against the emulator', async () => {
    const server = {
      command: bin,
      args: ['mcp'],
      env: cleanEnv({ AIRTABLE_TOKEN: TOKEN, AIRTABLE_API_URL: emulator?.url ?? '' }),
    };
    const [tools, bases] = await withDesktopServer(server, work, async (client) => [
      (await client.listTools()).tools.map((tool) => tool.name),
      JSON.stringify((await client.callTool({ name: 'list_bases', arguments: {} })).content),
    ]);
    expect(tools).toContain('list_bases');
    expect(tools).toContain('create_records');
    expect(bases).toContain('Sales CRM');
  });

  it('runs airsuite start (embedded database, chat page), whose Claude Desktop config works from another folder', async () => {
    const home = join(work, 'home');
    mkdirSync(home);
    const child = spawn(bin, ['start', ...FREE_PORTS, '--orchestrator-port', '0'], {
      cwd: home,
      env: cleanEnv({ AIRSUITE_DATA_DIR: join(home, '.airsuite') }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const lines: string[] = [];
    for (const stream of [child.stdout, child.stderr])
      stream.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.split('\n')));
    for (let i = 0; i < 1200 && !lines.some((l) => l.includes('Press Ctrl-C to stop')); i++) {
      if (child.exitCode !== null) throw new Error(`airsuite start exited:\n${lines.join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const desktop = printedDesktopServer(lines);
    expect(desktop.command).toBe(bin);
    expect(desktop.args).toEqual(['mcp']);
    const chatUrl = /Chat on (\S+?)\/? /.exec(lines.join('\n'))?.[1];
    const page = await fetch(`${chatUrl}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const tools = await withDesktopServer(
      { ...desktop, env: { ...desktop.env, PATH } },
      work,
      async (client) => (await client.listTools()).tools.map((tool) => tool.name),
    );
    expect(tools).toContain('list_bases');
    expect(tools).toContain('whoami');
    const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
