import type { AirtableGateway } from '@airsuite/airtable-gateway';
import type { Database } from '../../db/database.ts';
import { PlatformError } from '../../errors.ts';
import type { Connections } from '../../services/connections.ts';
import type { CaptureAccess } from './capture-pull.ts';
import type { CaptureRow } from './capture-rows.ts';

/**
 * A gateway client for a connection's token. Admin requests go `interactive`, background pulls
 * `normal`, so a person waiting is served ahead of the timer.
 */
export type ClientFor = (token: string, priority: 'interactive' | 'normal') => AirtableGateway;

/**
 * What a pull of `row` works with. Read per pull, not cached: a connection's token may be
 * rotated, and one added since brings its Airtable user to the set of the tools' own writers.
 */
export async function captureAccess(
  deps: { db: Database; connections: Connections; clientFor: ClientFor },
  row: CaptureRow,
): Promise<CaptureAccess> {
  const secret = (await deps.connections.secretsFor(row.workspace_id)).find(
    (s) => s.id === row.connection_id,
  );
  if (!secret) throw new PlatformError('CONNECTION_NOT_FOUND', 'the connection of this capture is gone');
  const users = await deps.db.query<{ airtable_user_id: string }>(
    'SELECT airtable_user_id FROM connections WHERE workspace_id = $1 AND airtable_user_id IS NOT NULL',
    [row.workspace_id],
  );
  return {
    client: deps.clientFor(secret.token, 'normal'),
    ownUsers: new Set(users.map((u) => u.airtable_user_id)),
  };
}
