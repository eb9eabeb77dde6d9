import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../db/test-database.ts';
import { createOutbox } from './outbox.ts';
import { pruneWebhookHistory, WEBHOOK_RETENTION_MS } from './retention.ts';

let test: TestDatabase;

beforeAll(async () => {
  test = await openTestDatabase();
  await test.db.query("INSERT INTO workspaces (id, name) VALUES ('wsp_keep', 'Keep')");
  await test.db.query(
    `INSERT INTO webhook_endpoints (id, workspace_id, url, event_types, secret_sealed, created_at, updated_at)
     VALUES ('whk_keep', 'wsp_keep', 'https://hooks.example.com', '{*}', 'sealed', now(), now())`,
  );
});

afterAll(async () => {
  await test?.close();
});

describe('webhook history retention', () => {
  it('prunes ended history older than 30 days, and never an event still waiting for delivery', async () => {
    const long = new Date(Date.now() - WEBHOOK_RETENTION_MS - 3600_000);
    const outbox = createOutbox({ now: () => long });
    const emit = () =>
      test.db.transaction((tx) =>
        outbox.emit(tx, [
          {
            workspaceId: 'wsp_keep',
            type: 'webhook.test',
            actor: { type: 'system', id: 'spec' },
            data: { message: 'old' },
          },
        ]),
      );
    const [ended] = await emit();
    const [waiting] = await emit();
    await test.db.query(
      "UPDATE webhook_messages SET state = 'delivered', finished_at = now() WHERE event_id = $1",
      [ended?.id],
    );
    const [recent] = await test.db.transaction((tx) =>
      createOutbox().emit(tx, [
        {
          workspaceId: 'wsp_keep',
          type: 'webhook.test',
          actor: { type: 'system', id: 'spec' },
          data: { message: 'new' },
        },
      ]),
    );
    await test.db.query("UPDATE webhook_messages SET state = 'delivered' WHERE event_id = $1", [recent?.id]);
    expect(await pruneWebhookHistory(test.db, new Date())).toBe(1);
    const left = await test.db.query<{ id: string }>('SELECT id FROM webhook_events ORDER BY seq');
    expect(left.map((row) => row.id)).toEqual([waiting?.id, recent?.id]);
    expect(await test.db.query('SELECT id FROM webhook_messages WHERE event_id = $1', [ended?.id])).toEqual(
      [],
    );
  });
});
