import type { Queryable } from '../../db/database.ts';

/** A `webhook_captures` row as the drivers return it. */
export interface CaptureRow {
  id: string;
  workspace_id: string;
  base_id: string;
  connection_id: string;
  airtable_webhook_id: string;
  mac_secret_sealed: string;
  notification_url: string | null;
  cursor: string | number;
  expires_at: Date | string | null;
  pull_token: string | null;
  pull_lease_until: Date | string | null;
  last_pull_at: Date | string | null;
  last_event_at: Date | string | null;
  events_emitted: string | number;
  last_error: string | null;
  last_error_at: Date | string | null;
  refreshed_at: Date | string | null;
  recreated_at: Date | string | null;
  gap_from: Date | string | null;
  gap_until: Date | string | null;
  created_by: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

/** What the API says about one captured base. */
export interface CaptureStatus {
  id: string;
  baseId: string;
  connectionId: string;
  /** The Airtable webhook (`ach…`) whose payloads are read. */
  webhookId: string;
  /** `ping`: Airtable notifies, and the timer checks too; `timer`: no public URL, the timer alone. */
  notifications: 'ping' | 'timer';
  /** The next Airtable payload to convert. */
  cursor: number;
  expiresAt?: string;
  lastPullAt?: string;
  lastEventAt?: string;
  eventsEmitted: number;
  lastError?: string;
  lastErrorAt?: string;
  refreshedAt?: string;
  recreatedAt?: string;
  /** The webhook expired or vanished and was replaced: changes in this window may be missing. */
  gap?: { from?: string; until: string; note: string };
  createdAt: string;
}

const iso = (value: Date | string | null): string | undefined =>
  value === null ? undefined : new Date(value).toISOString();

export const GAP_NOTE =
  'the Airtable webhook expired or was removed and a new one was registered: changes made between "from" and "until" may be missing';

export function toStatus(row: CaptureRow): CaptureStatus {
  const optional = {
    expiresAt: iso(row.expires_at),
    lastPullAt: iso(row.last_pull_at),
    lastEventAt: iso(row.last_event_at),
    lastError: row.last_error ?? undefined,
    lastErrorAt: iso(row.last_error_at),
    refreshedAt: iso(row.refreshed_at),
    recreatedAt: iso(row.recreated_at),
  };
  const gapUntil = iso(row.gap_until);
  const gapFrom = iso(row.gap_from);
  return {
    id: row.id,
    baseId: row.base_id,
    connectionId: row.connection_id,
    webhookId: row.airtable_webhook_id,
    notifications: row.notification_url ? 'ping' : 'timer',
    cursor: Number(row.cursor),
    eventsEmitted: Number(row.events_emitted),
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
    ...(gapUntil ? { gap: { ...(gapFrom ? { from: gapFrom } : {}), until: gapUntil, note: GAP_NOTE } } : {}),
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** The capture of a base, if the workspace captures it (one per base). */
export async function captureOfBase(
  db: Queryable,
  workspaceId: string,
  baseId: string,
): Promise<CaptureRow | undefined> {
  const [row] = await db.query<CaptureRow>(
    'SELECT * FROM webhook_captures WHERE workspace_id = $1 AND base_id = $2',
    [workspaceId, baseId],
  );
  return row;
}

export interface NewCapture {
  id: string;
  workspaceId: string;
  baseId: string;
  connectionId: string;
  hook: { id: string; macSecretSealed: string; expiresAt: string | null };
  notificationUrl: string | undefined;
  /** The user or API key that turned it on. */
  createdBy: string;
  at: Date;
}

/**
 * Inserts a new capture. Undefined when the base got one meanwhile: the unique (workspace, base)
 * decides between two admins enabling it at once, and the caller removes its own webhook.
 */
export async function insertCapture(tx: Queryable, capture: NewCapture): Promise<CaptureRow | undefined> {
  const [inserted] = await tx.query<CaptureRow>(
    `INSERT INTO webhook_captures (id, workspace_id, base_id, connection_id, airtable_webhook_id,
       mac_secret_sealed, notification_url, expires_at, created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
     ON CONFLICT (workspace_id, base_id) DO NOTHING RETURNING *`,
    [
      capture.id,
      capture.workspaceId,
      capture.baseId,
      capture.connectionId,
      capture.hook.id,
      capture.hook.macSecretSealed,
      capture.notificationUrl ?? null,
      capture.hook.expiresAt,
      capture.createdBy,
      capture.at,
    ],
  );
  return inserted;
}

/** The MAC secret only opens for its own capture row. */
export const macSecretAad = (workspaceId: string, captureId: string) =>
  `webhook_capture:${workspaceId}:${captureId}`;

/**
 * Takes the pull lease of a capture unless another pull holds a live one: the row is locked
 * with SKIP LOCKED for the claim's instant only, so a busy row is skipped, never waited for.
 */
export async function claimLease(
  db: Queryable,
  id: string,
  token: string,
  now: Date,
  leaseMs: number,
): Promise<CaptureRow | undefined> {
  const [row] = await db.query<CaptureRow>(
    `UPDATE webhook_captures SET pull_token = $2, pull_lease_until = $3
     WHERE id = (
       SELECT id FROM webhook_captures
       WHERE id = $1 AND (pull_lease_until IS NULL OR pull_lease_until < $4)
       FOR UPDATE SKIP LOCKED)
     RETURNING *`,
    [id, token, new Date(now.getTime() + leaseMs), now],
  );
  return row;
}

/** What a pull started from: a commit lands only if the capture is still there, still its own. */
export interface Fence {
  id: string;
  token: string;
  webhookId: string;
  cursor: number;
}

/**
 * Moves the cursor past a converted page and renews the lease, in the transaction that writes
 * the page's events. False (and the caller rolls back) when the fence no longer holds: the
 * capture was removed, its webhook replaced, or another pull took over after the lease ran out.
 */
export async function advanceCursor(
  tx: Queryable,
  fence: Fence,
  next: { cursor: number; events: number; now: Date; leaseMs: number },
): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE webhook_captures SET cursor = $5, pull_lease_until = $6, last_pull_at = $7,
       events_emitted = events_emitted + $8,
       last_event_at = CASE WHEN $8 > 0 THEN $7 ELSE last_event_at END,
       last_error = NULL, last_error_at = NULL, updated_at = $7
     WHERE id = $1 AND pull_token = $2 AND airtable_webhook_id = $3 AND cursor = $4
     RETURNING id`,
    [
      fence.id,
      fence.token,
      fence.webhookId,
      fence.cursor,
      next.cursor,
      new Date(next.now.getTime() + next.leaseMs),
      next.now,
      next.events,
    ],
  );
  return rows.length === 1;
}

/** Ends a pull: the lease is given back, with the error that stopped it if any. */
export async function releaseLease(
  db: Queryable,
  id: string,
  token: string,
  failure?: { message: string; at: Date },
): Promise<void> {
  if (!failure) {
    await db.query(
      'UPDATE webhook_captures SET pull_token = NULL, pull_lease_until = NULL WHERE id = $1 AND pull_token = $2',
      [id, token],
    );
    return;
  }
  await db.query(
    `UPDATE webhook_captures SET pull_token = NULL, pull_lease_until = NULL, last_error = $3,
       last_error_at = $4, updated_at = $4
     WHERE id = $1 AND pull_token = $2`,
    [id, token, failure.message, failure.at],
  );
}

export async function recordRefresh(
  db: Queryable,
  fence: Pick<Fence, 'id' | 'token'>,
  expiresAt: string | null,
  at: Date,
  refreshed: boolean,
): Promise<void> {
  await db.query(
    `UPDATE webhook_captures SET expires_at = $3,
       refreshed_at = CASE WHEN $5 THEN $4 ELSE refreshed_at END, updated_at = $4
     WHERE id = $1 AND pull_token = $2`,
    [fence.id, fence.token, expiresAt, at, refreshed],
  );
}

/**
 * Points the capture at a new webhook, from cursor 1, noting the window whose changes may be
 * missing. Undefined when the fence failed (the capture is gone or changed hands).
 */
export async function replaceWebhook(
  db: Queryable,
  fence: Pick<Fence, 'id' | 'token' | 'webhookId'>,
  hook: { id: string; macSecretSealed: string; expiresAt: string | null },
  gap: { from: Date | string | null; until: Date },
): Promise<CaptureRow | undefined> {
  const [row] = await db.query<CaptureRow>(
    `UPDATE webhook_captures SET airtable_webhook_id = $4, mac_secret_sealed = $5, expires_at = $6,
       cursor = 1, recreated_at = $8, gap_from = $7, gap_until = $8, updated_at = $8
     WHERE id = $1 AND pull_token = $2 AND airtable_webhook_id = $3
     RETURNING *`,
    [
      fence.id,
      fence.token,
      fence.webhookId,
      hook.id,
      hook.macSecretSealed,
      hook.expiresAt,
      gap.from,
      gap.until,
    ],
  );
  return row;
}
