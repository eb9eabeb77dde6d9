import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createEmulator,
  type Fixture,
  type RunningEmulator,
  tableRecords,
} from '@airsuite/airtable-emulator';
import {
  callRest,
  createApiKey,
  createWorkspace,
  type RestUser,
  signUp,
} from '@airsuite/platform-api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PlatformProcess, spawnPlatform } from './platform-process-kit.ts';
import { isolatedDatabaseUrl } from './start-test-kit.ts';

/**
 * A 500-record create_records through `airsuite platform`, the process SIGKILLed half-way
 * and started again: the operation reads `interrupted` with exactly the records Airtable
 * holds, the audit log says so, and repeating the call with its idempotency key ends with
 * 500 records and no duplicate. Against PGlite always, and real PostgreSQL when configured.
 */

const CRM = 'appJRG6RjcS0ZVuqz';
const TOTAL = 500;
const LEASE_SECONDS = 1;
const token = `pat${randomBytes(8).toString('hex')}.${randomBytes(16).toString('hex')}`;

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await createEmulator({
    port: 0,
    seed: 'sample',
    tokens: [token],
    // Airtable's shape of limit, raised so half of 50 chunks takes a second, not five.
    rateLimits: { enabled: true, perBase: 20, perOwner: 100, penaltyMs: 2000 },
  });
});
afterAll(async () => {
  await emulator?.close();
});

/** The crash-spec records in the emulator (its export is not rate-limited). */
async function crashRecords(tag: string): Promise<{ id: string; name: string }[]> {
  const fixture = (await (await fetch(`${emulator.url}/__emulator/export`)).json()) as Fixture;
  return tableRecords(fixture, CRM, 'Companies')
    .map((r) => ({ id: r.id, name: String(r.fields.Name ?? '') }))
    .filter((r) => r.name.startsWith(`${tag} `));
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const variants = [
  { name: 'PGlite', postgres: false },
  ...(process.env.DATABASE_URL ? [{ name: 'PostgreSQL', postgres: true }] : []),
];

describe.each(variants)('a bulk create killed mid-way ($name)', ({ postgres }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'airsuite-crash-'));
  let dropSchema: (() => Promise<void>) | undefined;
  let env: Record<string, string>;
  let server: PlatformProcess | undefined;

  beforeAll(async () => {
    env = {
      AIRSUITE_DATA_DIR: dataDir,
      AIRTABLE_API_URL: emulator.url,
      AIRSUITE_OPERATION_LEASE_SECONDS: String(LEASE_SECONDS),
      GATEWAY_PER_BASE_LIMIT: '20',
      GATEWAY_PER_OWNER_LIMIT: '100',
    };
    if (postgres) {
      const isolated = await isolatedDatabaseUrl();
      if (!isolated) throw new Error('DATABASE_URL is set but no schema could be made');
      env.DATABASE_URL = isolated.url;
      dropSchema = isolated.drop;
    }
  });
  afterAll(async () => {
    await server?.stop();
    await dropSchema?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves an exact trail, and the idempotency key finishes it without a duplicate', async () => {
    const tag = `Crash-${postgres ? 'pg' : 'lite'}-${randomBytes(3).toString('hex')}`;
    server = await spawnPlatform(env);
    const owner: RestUser = await signUp(server.url, 'crash-owner');
    const workspace = await createWorkspace(server.url, owner);
    const connected = await callRest(server.url, 'POST', `/v1/workspaces/${workspace}/connections`, {
      bearer: owner.accessToken,
      body: { name: 'Emulator', token },
    });
    expect(connected.status).toBe(201);
    const { key } = await createApiKey(server.url, owner, workspace, 'editor');
    const body = {
      base_id: CRM,
      table: 'Companies',
      records: Array.from({ length: TOTAL }, (_, i) => ({ fields: { Name: `${tag} ${i}`, Employees: i } })),
      idempotency_key: `${tag}-import`,
    };
    const first = callRest(server.url, 'POST', `/v1/workspaces/${workspace}/tools/create_records`, {
      bearer: key,
      body,
    }).catch((error: unknown) => error);
    await until(async () => ((await crashRecords(tag)).length >= 150 ? true : undefined), '150 records');
    await server.kill();
    expect(server.exited()).toBe('SIGKILL');
    expect(await first).toBeInstanceOf(Error); // the caller saw only a dropped connection
    const landed = await crashRecords(tag);
    expect(landed.length).toBeGreaterThanOrEqual(150);
    expect(landed.length).toBeLessThan(TOTAL);

    server = await spawnPlatform(env);
    const url = server.url;
    // Its runner is gone: once the lease has run out (at once on PGlite) the operation reads interrupted.
    const operation = await until(async () => {
      const listed = await callRest(url, 'GET', `/v1/workspaces/${workspace}/operations?state=interrupted`, {
        bearer: key,
      });
      const found = (listed.body.operations as { id: string; idempotency_key?: string }[] | undefined)?.find(
        (o) => o.idempotency_key === body.idempotency_key,
      );
      return found;
    }, 'the interrupted operation');
    const got = await callRest(url, 'GET', `/v1/workspaces/${workspace}/operations/${operation.id}`, {
      bearer: key,
    });
    expect(got.status).toBe(200);
    expect(got.body.state).toBe('interrupted');
    const listedIds = (got.body.records as { id: string }[]).map((r) => r.id).sort();
    expect(listedIds).toEqual(landed.map((r) => r.id).sort());
    expect(got.body.written).toBe(landed.length);

    const audit = await until(async () => {
      const page = await callRest(
        url,
        'GET',
        `/v1/workspaces/${workspace}/audit?action=operation.interrupted`,
        {
          bearer: owner.accessToken,
        },
      );
      const events = (page.body.events as { target?: { id: string } }[] | undefined) ?? [];
      return events.some((e) => e.target?.id === operation.id) ? events : undefined;
    }, 'the operation.interrupted audit event');
    expect(audit.length).toBeGreaterThan(0);

    const again = await callRest(url, 'POST', `/v1/workspaces/${workspace}/tools/create_records`, {
      bearer: key,
      body,
    });
    expect(again.status).toBe(200);
    const output = (again.body as { output: { created: number; resumed?: boolean; operation_id: string } })
      .output;
    expect(output).toMatchObject({ created: TOTAL, resumed: true, operation_id: operation.id });
    const all = await crashRecords(tag);
    expect(all).toHaveLength(TOTAL);
    expect(new Set(all.map((r) => r.name)).size).toBe(TOTAL);
    const done = await callRest(url, 'GET', `/v1/workspaces/${workspace}/operations/${operation.id}`, {
      bearer: key,
    });
    expect(done.body).toMatchObject({ state: 'succeeded', written: TOTAL });
    console.info(
      `[write-crash ${postgres ? 'PostgreSQL' : 'PGlite'}] killed with ${landed.length}/${TOTAL} written; operation listed ${listedIds.length}; after the key: ${all.length} records, ${new Set(all.map((r) => r.name)).size} distinct`,
    );
  }, 90_000);
});
