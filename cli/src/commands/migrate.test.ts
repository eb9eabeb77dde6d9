import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../main.ts';
import { isolatedDatabaseUrl } from '../start-test-kit.ts';
import { recordingIo } from '../test-io.ts';

describe('airsuite migrate', () => {
  it('applies the migrations once, then finds the database up to date', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'airsuite-migrate-'));
    const database = await isolatedDatabaseUrl();
    const env = { AIRSUITE_DATA_DIR: dataDir, ...(database ? { DATABASE_URL: database.url } : {}) };
    try {
      const first = recordingIo();
      expect(await main(['node', 'airsuite', 'migrate'], first.io, env)).toBe(0);
      expect(first.out.join('\n')).toMatch(
        /Applied 11 migration\(s\): 0001_accounts\.sql, 0002_conversations\.sql, 0003_one_open_run\.sql, 0004_conversations_by_actor\.sql, 0005_login_failures\.sql, 0006_operations\.sql, 0007_webhooks\.sql, 0008_webhook_captures\.sql, 0009_plugins\.sql, 0010_plugin_event_deliveries\.sql, 0011_plugin_logs\.sql/,
      );
      const second = recordingIo();
      expect(await main(['node', 'airsuite', 'migrate'], second.io, env)).toBe(0);
      expect(second.out.join('\n')).toContain('up to date (11 migrations)');
    } finally {
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('exits 2 with a clear message for a DATABASE_URL that is not PostgreSQL', async () => {
    const { io, err } = recordingIo();
    expect(await main(['node', 'airsuite', 'migrate'], io, { DATABASE_URL: 'mysql://localhost/x' })).toBe(2);
    expect(err.join('\n')).toContain('DATABASE_URL');
  });
});
