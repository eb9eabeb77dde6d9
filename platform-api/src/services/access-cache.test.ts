import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../db/test-database.ts';
import type { WorkspaceAccess } from '../principal.ts';
import { type AccessCache, createAccessCache } from './access-cache.ts';

const access = (workspaceId: string, role: WorkspaceAccess['role']): WorkspaceAccess => ({
  principal: { kind: 'user', userId: 'usr_a', email: 'a@example.com', sessionId: 'ses_a' },
  workspaceId,
  workspaceName: 'W',
  role,
  workspaceCreatedAt: '2026-01-01T00:00:00.000Z',
  workspaceUpdatedAt: '2026-01-01T00:00:00.000Z',
});

describe('the workspace access cache', () => {
  let database: TestDatabase;
  let clock = 0;
  let one: AccessCache;
  let two: AccessCache;
  beforeAll(async () => {
    database = await openTestDatabase();
    one = await createAccessCache(database.db, { ttlMs: 1000, now: () => clock });
    two = await createAccessCache(database.db, { ttlMs: 1000, now: () => clock });
  });
  afterAll(async () => {
    await one.close();
    await two.close();
    await database.close();
  });

  it('remembers an access until its time is up', () => {
    one.set('user:usr_a', access('wsp_1', 'editor'), one.generation('wsp_1'));
    expect(one.get('user:usr_a', 'wsp_1')?.role).toBe('editor');
    clock += 1001;
    expect(one.get('user:usr_a', 'wsp_1')).toBeUndefined();
  });

  it('drops a workspace in every cache sharing the database when it changes', async () => {
    one.set('user:usr_a', access('wsp_2', 'admin'), one.generation('wsp_2'));
    two.set('user:usr_a', access('wsp_2', 'admin'), two.generation('wsp_2'));
    await one.invalidate('wsp_2');
    expect(one.get('user:usr_a', 'wsp_2')).toBeUndefined();
    for (let i = 0; i < 100 && two.get('user:usr_a', 'wsp_2'); i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(two.get('user:usr_a', 'wsp_2')).toBeUndefined();
  });

  it('ignores a read that an invalidation overtook', async () => {
    const before = one.generation('wsp_3');
    await one.invalidate('wsp_3');
    one.set('user:usr_a', access('wsp_3', 'owner'), before);
    expect(one.get('user:usr_a', 'wsp_3')).toBeUndefined();
  });
});
