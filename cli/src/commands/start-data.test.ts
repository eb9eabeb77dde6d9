import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLocalCredentials } from '@airsuite/platform-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AirsuiteProcess,
  FREE_PORTS,
  isolatedDatabaseUrl,
  restTool,
  spawnAirsuite,
} from '../start-test-kit.ts';

// `airsuite start` as a user runs it, in real processes: what was written through the tools is
// still there after a stop, a restart, even a kill -9; the start-over commands the banner prints
// give the sample bases back.

let dataDir: string;
let database: Awaited<ReturnType<typeof isolatedDatabaseUrl>>;
let env: Record<string, string>;
const running: AirsuiteProcess[] = [];

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'airsuite-start-data-'));
  database = await isolatedDatabaseUrl();
  env = { AIRSUITE_DATA_DIR: dataDir, ...(database ? { DATABASE_URL: database.url } : {}) };
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.kill('SIGKILL')));
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Started {
  process: AirsuiteProcess;
  /** Calls a tool over REST with the banner's API key in the banner's workspace. */
  tool(name: string, input: Record<string, unknown>): ReturnType<typeof restTool>;
  /** The commands the banner prints in backticks on its Data lines, e.g. `airsuite start --fresh`. */
  startOverCommands: string[];
}

/** Runs `airsuite start` (with `extra` arguments) until its banner is out. */
async function start(extra: string[] = []): Promise<Started> {
  const process = spawnAirsuite(['start', ...extra, ...FREE_PORTS], env);
  running.push(process);
  await process.line(/Press Ctrl-C to stop/);
  const platformUrl = (await process.line(/^Platform API on /)).replace(/^Platform API on (\S+)\/v1.*/, '$1');
  // Later starts print no secrets: the key is read where the banner says it is kept.
  const apiKey = readLocalCredentials(dataDir)?.apiKey ?? '';
  const workspaceId = (await process.line(/Workspace:/)).replace(/.*Workspace:\s+(\S+).*/, '$1');
  const from = process.out.findLastIndex((l) => /^\s+Data:/.test(l));
  const dataLines = from < 0 ? '' : process.out.slice(from, from + 2).join('\n');
  return {
    process,
    tool: (name, input) => restTool(platformUrl, apiKey, workspaceId, name, input),
    startOverCommands: [...dataLines.matchAll(/`(airsuite [^`]+)`/g)].map((m) => m[1] as string),
  };
}

/** The arguments of a printed `airsuite …` command, as a user pasting it would run them. */
const argsOf = (command: string) => command.split(/\s+/).slice(1);

async function sampleBase(app: Started): Promise<string> {
  const { body } = await app.tool('list_bases', {});
  const bases = (body.output as { bases: { id: string; name: string }[] }).bases;
  return (bases.find((b) => b.name === 'Sales CRM') as { id: string }).id;
}

async function countDeals(app: Started, baseId: string): Promise<number> {
  const { status, body } = await app.tool('count_records', { base_id: baseId, table: 'Deals' });
  expect(status).toBe(200);
  return (body.output as { count: number }).count;
}

async function createDeal(app: Started, baseId: string): Promise<string> {
  const { status, body } = await app.tool('create_records', {
    base_id: baseId,
    table: 'Deals',
    records: [{ fields: { 'Deal Name': 'Written before the restart', Amount: 4200 } }],
  });
  expect(status).toBe(200);
  return ((body.output as { records: { id: string }[] }).records[0] as { id: string }).id;
}

async function getDeal(app: Started, baseId: string, recordId: string) {
  return app.tool('get_record', { base_id: baseId, table: 'Deals', record_id: recordId });
}

describe('airsuite start keeps what a user wrote', () => {
  it('a record created through the tools is still there after a stop (SIGTERM) and a new start', async () => {
    const first = await start();
    const baseId = await sampleBase(first);
    const sample = await countDeals(first, baseId);
    const id = await createDeal(first, baseId);
    expect(await first.process.kill('SIGTERM')).toBe(0);

    const second = await start();
    expect(await countDeals(second, baseId)).toBe(sample + 1);
    expect((await getDeal(second, baseId, id)).status).toBe(200);
    expect(await second.process.kill('SIGINT')).toBe(0);
  }, 120_000);

  it('a record whose creation was answered is still there after a kill -9 right after the answer', async () => {
    const first = await start();
    const baseId = await sampleBase(first);
    const sample = await countDeals(first, baseId);
    const id = await createDeal(first, baseId);
    expect(await first.process.kill('SIGKILL')).toBe('SIGKILL');

    const second = await start();
    expect(await countDeals(second, baseId)).toBe(sample + 1);
    expect((await getDeal(second, baseId, id)).status).toBe(200);
  }, 120_000);
});

describe('starting over with the commands the banner prints', () => {
  it('the printed `airsuite start --fresh` gives the sample bases back without the written record', async () => {
    const first = await start();
    const baseId = await sampleBase(first);
    const sample = await countDeals(first, baseId);
    const id = await createDeal(first, baseId);
    const fresh = first.startOverCommands.find((c) => c.includes('--fresh'));
    expect(fresh).toBe('airsuite start --fresh');
    expect(await first.process.kill('SIGINT')).toBe(0);

    const after = await start(argsOf(fresh as string).slice(1));
    // It says what it removes before anything starts on the emptied directory.
    const said = after.process.out.findIndex((l) => /removing from/.test(l));
    expect(said).toBeGreaterThanOrEqual(0);
    expect(said).toBeLessThan(after.process.out.findIndex((l) => /emulator listening on/.test(l)));
    expect(await countDeals(after, baseId)).toBe(sample);
    expect((await getDeal(after, baseId, id)).status).not.toBe(200);
    expect(await after.process.kill('SIGINT')).toBe(0);
  }, 120_000);

  it('the printed `airsuite reset` removes the stored data: the next start has the sample bases only', async () => {
    const first = await start();
    const baseId = await sampleBase(first);
    const sample = await countDeals(first, baseId);
    await createDeal(first, baseId);
    const reset = first.startOverCommands.find((c) => c.endsWith(' reset'));
    expect(reset).toBe('airsuite reset');
    expect(await first.process.kill('SIGINT')).toBe(0);

    const resetRun = spawnAirsuite(argsOf(reset as string), env);
    running.push(resetRun);
    expect(await resetRun.exited).toBe(0);
    const after = await start();
    expect(await countDeals(after, baseId)).toBe(sample);
  }, 120_000);
});
