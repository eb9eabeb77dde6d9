import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPlatformError } from '../errors.ts';
import { type CuttableLink, startCuttableLink } from '../testing/cuttable-link.ts';
import { createScratchDatabase, type ScratchDatabase } from '../testing/scratch-database.ts';
import type { Database, NotificationGap } from './database.ts';
import { openPostgresDatabase } from './pg-database.ts';

/**
 * The PostgreSQL driver when the server drops its connections or cannot be reached: no
 * process dies, statements fail as DATABASE_UNAVAILABLE, LISTEN comes back by itself and says
 * when it was away. Each spec severs only its own connections (a scratch database, a link).
 */

const serverUrl = process.env.DATABASE_URL;

async function until(condition: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const codeOf = (error: unknown) => (isPlatformError(error) ? error.code : String(error));

describe.skipIf(!serverUrl)('the PostgreSQL driver when its backends are terminated', () => {
  let scratch: ScratchDatabase;
  let db: Database;
  let other: Database;
  beforeAll(async () => {
    scratch = await createScratchDatabase(serverUrl ?? '', 'airsuite_blip');
    db = await openPostgresDatabase({ connectionString: scratch.url, max: 2 });
    other = await openPostgresDatabase({ connectionString: scratch.url, max: 2 });
  });
  afterAll(async () => {
    await db?.close();
    await other?.close();
    await scratch?.drop();
  });

  it('re-subscribes LISTEN, telling subscribers it was lost and resumed, and hears NOTIFY again', async () => {
    const heard: string[] = [];
    const gaps: NotificationGap[] = [];
    const unlisten = await db.listen('blip_channel', (payload) => heard.push(payload), {
      onGap: (gap) => gaps.push(gap),
    });
    await other.notify('blip_channel', 'before');
    await until(() => heard.includes('before'));

    expect(await scratch.terminateBackends()).toBeGreaterThan(0);
    await until(() => gaps.includes('resumed'));
    expect(gaps).toEqual(['lost', 'resumed']);
    await other.notify('blip_channel', 'after');
    await until(() => heard.includes('after'));
    await unlisten();
  });

  it('fails a transaction whose connection is cut as DATABASE_UNAVAILABLE, and the pool goes on', async () => {
    const failure = await db
      .transaction(async (tx) => {
        await tx.query('SELECT 1');
        // The connection dies while the transaction holds it, between two statements.
        await scratch.terminateBackends();
        await new Promise((r) => setTimeout(r, 100));
        await tx.query('SELECT 1');
      })
      .catch((error: unknown) => error);
    expect(codeOf(failure)).toBe('DATABASE_UNAVAILABLE');
    // The dead client was destroyed, not handed out again: every later statement works.
    for (let i = 0; i < 5; i++) {
      expect(await db.transaction((tx) => tx.query<{ n: number }>('SELECT 1 AS n'))).toEqual([{ n: 1 }]);
    }
  });
});

describe.skipIf(!serverUrl)('the PostgreSQL driver when the server cannot be reached', () => {
  let scratch: ScratchDatabase;
  let link: CuttableLink;
  let db: Database;
  let direct: Database;
  beforeAll(async () => {
    scratch = await createScratchDatabase(serverUrl ?? '', 'airsuite_blip');
    link = await startCuttableLink(scratch.url);
    db = await openPostgresDatabase({ connectionString: link.url, max: 2, connectionTimeoutMillis: 1000 });
    direct = await openPostgresDatabase({ connectionString: scratch.url, max: 2 });
  });
  afterAll(async () => {
    await db?.close();
    await direct?.close();
    await link?.close();
    await scratch?.drop();
  });

  it('fails statements as DATABASE_UNAVAILABLE with a retry hint, keeps trying LISTEN, and resumes', async () => {
    const heard: string[] = [];
    const gaps: NotificationGap[] = [];
    await db.listen('outage_channel', (payload) => heard.push(payload), { onGap: (gap) => gaps.push(gap) });

    await link.cut();
    await until(() => gaps.includes('lost'));
    for (const attempt of [() => db.query('SELECT 1'), () => db.transaction((tx) => tx.query('SELECT 1'))]) {
      const started = Date.now();
      const failure = await attempt().catch((error: unknown) => error);
      expect(codeOf(failure)).toBe('DATABASE_UNAVAILABLE');
      expect(isPlatformError(failure) && failure.details?.retryAfterSeconds).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(3_000);
    }
    // Sent while this process could not listen: never heard, which is what `lost` warned of.
    await direct.notify('outage_channel', 'missed');
    // Longer than several reconnect attempts: the listener keeps trying, whatever the wait.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(gaps).toEqual(['lost']);

    await link.restore();
    await until(() => gaps.includes('resumed'));
    expect(await db.query<{ n: number }>('SELECT 1 AS n')).toEqual([{ n: 1 }]);
    await direct.notify('outage_channel', 'back');
    await until(() => heard.includes('back'));
    expect(heard).toEqual(['back']);
  });

  it('notices a LISTEN connection that went silent (no error, no answer) and replaces it', async () => {
    const watched = await openPostgresDatabase({
      connectionString: link.url,
      max: 1,
      connectionTimeoutMillis: 500,
      listenHeartbeatMillis: 200,
    });
    try {
      const heard: string[] = [];
      const gaps: NotificationGap[] = [];
      await watched.listen('silent_channel', (payload) => heard.push(payload), {
        onGap: (gap) => gaps.push(gap),
      });
      link.freeze();
      await until(() => gaps.includes('lost'), 3_000);
      await link.restore();
      await until(() => gaps.includes('resumed'));
      await direct.notify('silent_channel', 'back');
      await until(() => heard.includes('back'));
    } finally {
      await watched.close();
    }
  });

  it('a subscriber that arrives while the server is unreachable is told at once, then resumed', async () => {
    await link.cut();
    const gaps: NotificationGap[] = [];
    await db.listen('late_channel', () => {}, { onGap: (gap) => gaps.push(gap) });
    expect(gaps).toEqual(['lost']);
    await link.restore();
    await until(() => gaps.includes('resumed'));
  });
});
