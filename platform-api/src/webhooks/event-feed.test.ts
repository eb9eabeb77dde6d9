import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../db/test-database.ts';
import { createEventFeed } from './event-feed.ts';
import { createEventSignals } from './event-signals.ts';
import { createOutbox, type EventInput } from './outbox.ts';

/**
 * The reader behind the event stream: a `seq` is taken at insert, not at commit, so a hole may
 * be a transaction still in flight; the feed never hands out what lies past one until it
 * fills or has been open too long to be anything but a rollback.
 */

let test: TestDatabase;
const outbox = createOutbox();
const WORKSPACE = 'wsp_feed';
const OTHER = 'wsp_feedother';

const keyCreated = (name: string, workspaceId = WORKSPACE): EventInput<'api_key.created'> => ({
  workspaceId,
  type: 'api_key.created',
  actor: { type: 'system', id: 'spec' },
  data: { key_id: 'key_1', name, role: 'viewer' },
});

const emit = (...events: EventInput[]) => test.db.transaction((tx) => outbox.emit(tx, events));
const names = (payloads: { payload: string }[]) =>
  payloads.map((event) => (JSON.parse(event.payload) as { data: { name: string } }).data.name);
/** A `seq` taken by a transaction that rolled back: a hole that never fills. */
const burnSeq = () => test.db.query("SELECT nextval(pg_get_serial_sequence('webhook_events', 'seq'))");

beforeAll(async () => {
  test = await openTestDatabase();
  await test.db.query(`INSERT INTO workspaces (id, name) VALUES ($1, 'Feed'), ($2, 'Other')`, [
    WORKSPACE,
    OTHER,
  ]);
});
afterAll(() => test?.close());

describe('the event feed', () => {
  it("reads the workspace's events past the cursor in seq order, the others' rows only moving it along", async () => {
    const feed = createEventFeed({ db: test.db, workspaceId: WORKSPACE });
    const start = await feed.head();
    await emit(keyCreated('a'), keyCreated('x', OTHER), keyCreated('b'));
    const page = await feed.read(start);
    expect(names(page.events)).toEqual(['a', 'b']);
    expect(page.cursor).toBe(start + 3n);
    expect(page).toMatchObject({ more: false, waiting: false });
    expect((await feed.read(page.cursor)).events).toEqual([]);
  });

  it('reads in pages, past ten (numbers, not text, order the sequence)', async () => {
    const feed = createEventFeed({ db: test.db, workspaceId: WORKSPACE, pageSize: 4 });
    const start = await feed.head();
    await emit(...Array.from({ length: 11 }, (_, i) => keyCreated(`p${i}`)));
    const read: string[] = [];
    let cursor = start;
    for (let pages = 1; ; pages++) {
      const page = await feed.read(cursor);
      read.push(...names(page.events));
      cursor = page.cursor;
      if (!page.more) {
        expect(pages).toBe(3);
        break;
      }
    }
    expect(read).toEqual(Array.from({ length: 11 }, (_, i) => `p${i}`));
  });

  it('holds back what lies past a fresh hole, then passes it once it has been open for the grace', async () => {
    let now = 1_000_000;
    const feed = createEventFeed({ db: test.db, workspaceId: WORKSPACE, graceMs: 5_000, nowMs: () => now });
    const start = await feed.head();
    await emit(keyCreated('before'));
    await burnSeq();
    await emit(keyCreated('after'));
    const held = await feed.read(start);
    expect(names(held.events)).toEqual(['before']);
    expect(held).toMatchObject({ cursor: start + 1n, waiting: true, more: false });
    now += 4_000;
    expect(await feed.read(held.cursor)).toMatchObject({ events: [], waiting: true });
    now += 1_000;
    const passed = await feed.read(held.cursor);
    expect(names(passed.events)).toEqual(['after']);
    expect(passed).toMatchObject({ cursor: start + 3n, waiting: false });
  });

  it('passes at once a hole before a row written longer than the grace ago (a resume from the past)', async () => {
    const feed = createEventFeed({ db: test.db, workspaceId: WORKSPACE, graceMs: 5_000, nowMs: () => 0 });
    const start = await feed.head();
    await burnSeq();
    const old = createOutbox({ now: () => new Date(Date.now() - 60_000) });
    await test.db.transaction((tx) => old.emit(tx, [keyCreated('old')]));
    expect(names((await feed.read(start)).events)).toEqual(['old']);
  });

  it('filters by type patterns', async () => {
    const feed = createEventFeed({ db: test.db, workspaceId: WORKSPACE, patterns: ['member.*'] });
    const start = await feed.head();
    await emit(keyCreated('skipped'), {
      workspaceId: WORKSPACE,
      type: 'member.added',
      actor: { type: 'system', id: 'spec' },
      data: { user_id: 'usr_1', email: 'm@example.com', role: 'viewer' },
    });
    const page = await feed.read(start);
    expect(page.events.map((event) => event.type)).toEqual(['member.added']);
    expect(page.cursor).toBe(start + 2n);
  });

  it("wakes a workspace's subscribers when its events commit, not another's", async () => {
    const signals = createEventSignals(test.db);
    let mine = 0;
    let others = 0;
    const offMine = await signals.subscribe(WORKSPACE, () => mine++);
    const offOthers = await signals.subscribe('wsp_nobody', () => others++);
    await emit(keyCreated('wake'));
    const deadline = Date.now() + 5_000;
    while (mine === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(mine).toBeGreaterThan(0);
    expect(others).toBe(0);
    offMine();
    offOthers();
    await signals.close();
  });

  it.skipIf(!process.env.DATABASE_URL)(
    'never hands out an event committed after a later one before it (a transaction in flight)',
    async () => {
      const feed = createEventFeed({ db: test.db, workspaceId: WORKSPACE });
      const start = await feed.head();
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let inserted: () => void = () => {};
      const insertedFirst = new Promise<void>((resolve) => {
        inserted = resolve;
      });
      const slow = test.db.transaction(async (tx) => {
        await outbox.emit(tx, [keyCreated('slow')]);
        inserted();
        await held;
      });
      await insertedFirst;
      await emit(keyCreated('fast'));
      const early = await feed.read(start);
      expect(early).toMatchObject({ events: [], cursor: start, waiting: true });
      release();
      await slow;
      expect(names((await feed.read(start)).events)).toEqual(['slow', 'fast']);
    },
  );
});
