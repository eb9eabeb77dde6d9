import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGatewayEngine, type GatewayEngine } from '@airsuite/airtable-gateway';
import { createPlatform, openDatabase, type Platform } from '@airsuite/platform-api';
import {
  callRest,
  createApiKey,
  createScratchDatabase,
  createWorkspace,
  type RestUser,
  type ScratchDatabase,
  signUp,
} from '@airsuite/platform-api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PlatformProcess, spawnPlatform } from './platform-process-kit.ts';

/**
 * `airsuite platform` on PostgreSQL when every connection to its database is cut under load
 * (`pg_terminate_backend`, as a failover or an operator does): the process stays up and keeps
 * answering, heals by itself, and hears revocations made by another process afterwards.
 * The database is the spec's own, so the backends of the shared test database are never touched.
 */

const serverUrl = process.env.DATABASE_URL;

/** What each request of the load came back with, and when. */
interface Answer {
  at: number;
  outcome: number | 'refused' | 'failed';
}

/** Sends GET /v1/me with `bearer` from `workers` loops until stopped. */
function load(url: string, bearer: string, workers = 4) {
  const answers: Answer[] = [];
  let running = true;
  const loop = async () => {
    while (running) {
      let outcome: Answer['outcome'];
      try {
        outcome = (await callRest(url, 'GET', '/v1/me', { bearer })).status;
      } catch (error) {
        const code = (error as { cause?: { code?: string } }).cause?.code;
        outcome = code === 'ECONNREFUSED' ? 'refused' : 'failed';
      }
      answers.push({ at: Date.now(), outcome });
    }
  };
  const loops = Array.from({ length: workers }, loop);
  return {
    answers,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

const tally = (answers: Answer[], from: number, to = Number.POSITIVE_INFINITY) => {
  const counts: Record<string, number> = {};
  for (const { at, outcome } of answers) {
    if (at >= from && at < to) counts[String(outcome)] = (counts[String(outcome)] ?? 0) + 1;
  }
  return counts;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!serverUrl)('airsuite platform when PostgreSQL cuts its connections', () => {
  const secretKey = randomBytes(32);
  const dataDir = mkdtempSync(join(tmpdir(), 'airsuite-blip-'));
  let scratch: ScratchDatabase;
  let child: PlatformProcess;
  let engine: GatewayEngine;
  let other: Platform;
  let closeOther: () => Promise<void>;
  let owner: RestUser;
  let workspaceId: string;

  beforeAll(async () => {
    scratch = await createScratchDatabase(serverUrl ?? '', 'airsuite_blip');
    child = await spawnPlatform({
      DATABASE_URL: scratch.url,
      AIRSUITE_DATA_DIR: dataDir,
      AIRSUITE_SECRET_KEY: secretKey.toString('hex'),
    });
    // A second platform process on the same database (here, in the spec's own process).
    engine = await createGatewayEngine({ upstreamUrl: 'http://127.0.0.1:9' });
    const db = await openDatabase({ databaseUrl: scratch.url, dataDir });
    other = await createPlatform({ db, engine, secretKey });
    closeOther = async () => {
      await other.close();
      await db.close();
    };
    owner = await signUp(child.url, 'owner');
    workspaceId = await createWorkspace(child.url, owner);
  }, 60_000);
  afterAll(async () => {
    await child?.stop();
    await closeOther?.();
    await engine?.close();
    await scratch?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Until both processes LISTEN again (each holds one listening connection). */
  async function listenersBack(): Promise<void> {
    for (let i = 0; i < 400 && (await scratch.listeners()) < 2; i++) await sleep(25);
    expect(await scratch.listeners()).toBeGreaterThanOrEqual(2);
  }

  it('keeps answering through the cut, and a key revoked right after the reconnect stops on its next request', async () => {
    const streamKey = await createApiKey(child.url, owner, workspaceId);
    const doomed = await createApiKey(child.url, owner, workspaceId);
    const traffic = load(child.url, streamKey.key);
    await sleep(500);
    const cutAt = Date.now();
    expect(await scratch.terminateBackends()).toBeGreaterThan(0);
    await sleep(1_500);
    await traffic.stop();
    const during = tally(traffic.answers, cutAt, cutAt + 1_000);
    const after = tally(traffic.answers, cutAt + 1_000);
    console.info(
      `terminated every backend under load: during 1 s ${JSON.stringify(during)}, after ${JSON.stringify(after)}`,
    );
    expect(child.exited()).toBeUndefined();
    expect(during.refused ?? 0).toBe(0);
    expect(during.failed ?? 0).toBe(0);
    expect(Object.keys(during).every((status) => status === '200' || status === '503')).toBe(true);
    expect(after['200'] ?? 0).toBeGreaterThan(0);
    expect(Object.keys(after)).toEqual(['200']);

    await listenersBack();
    expect((await callRest(child.url, 'GET', '/v1/me', { bearer: doomed.key })).status).toBe(200); // cached again
    const ownerThere = await other.authenticate(owner.accessToken);
    await other.apiKeys.revoke(await other.workspaces.access(ownerThere, workspaceId), doomed.id);
    // A NOTIFY takes a moment to cross processes; the revocation must not wait for the cache's 30 s.
    await sleep(200);
    expect((await callRest(child.url, 'GET', '/v1/me', { bearer: doomed.key })).code).toBe(
      'AUTH_API_KEY_REVOKED',
    );
  });

  it('is healthy by itself after 5 s of connections cut again and again', async () => {
    const key = await createApiKey(child.url, owner, workspaceId);
    const traffic = load(child.url, key.key, 2);
    const loopUntil = Date.now() + 5_000;
    while (Date.now() < loopUntil) {
      await scratch.terminateBackends();
      await sleep(100);
    }
    const stoppedAt = Date.now();
    let health = await callRest(child.url, 'GET', '/healthz');
    while (health.status !== 200 && Date.now() - stoppedAt < 15_000) {
      await sleep(25);
      health = await callRest(child.url, 'GET', '/healthz');
    }
    const healthyAfterMs = Date.now() - stoppedAt;
    await sleep(300);
    await traffic.stop();
    console.info(
      `terminate loop 5 s: healthy ${healthyAfterMs} ms after it stopped; answers ${JSON.stringify(tally(traffic.answers, 0))}`,
    );
    expect(child.exited()).toBeUndefined();
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', database: 'ok' });
    expect(tally(traffic.answers, 0).refused ?? 0).toBe(0);
    expect(Object.keys(tally(traffic.answers, stoppedAt + healthyAfterMs))).toEqual(['200']);
    await listenersBack();
  });
});
