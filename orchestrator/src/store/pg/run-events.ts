import type { Database } from '@airsuite/platform-api';
import type { RunEvent } from '../../loop/events.ts';
import type { ChatStore } from '../chat-store.ts';
import { num } from './rows.ts';

/** A run's events, numbered by the caller. */
export function pgRunEvents(db: Database): Pick<ChatStore, 'appendEvents' | 'lastEventSeq' | 'eventsAfter'> {
  return {
    async appendEvents(runId, events) {
      if (events.length === 0) return;
      await db.query(
        `INSERT INTO run_events (run_id, seq, event)
         SELECT $1, t.seq, t.event FROM unnest($2::int[], $3::jsonb[]) AS t(seq, event)`,
        [runId, events.map((e) => e.seq), events.map((e) => JSON.stringify(e.event))],
      );
    },

    async lastEventSeq(runId) {
      const [row] = await db.query<{ seq: number | null }>(
        'SELECT max(seq) AS seq FROM run_events WHERE run_id = $1',
        [runId],
      );
      return num(row?.seq);
    },

    async eventsAfter(runId, afterSeq) {
      const rows = await db.query<{ seq: number; event: RunEvent }>(
        'SELECT seq, event FROM run_events WHERE run_id = $1 AND seq > $2 ORDER BY seq',
        [runId, afterSeq],
      );
      return rows.map((row) => ({ id: `${runId}:${row.seq}`, seq: row.seq, event: row.event }));
    },
  };
}
