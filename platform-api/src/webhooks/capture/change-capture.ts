import { createAirtableGateway, type GatewayEngine } from '@airsuite/airtable-gateway';
import { newId } from '../../crypto/opaque-token.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { Database } from '../../db/database.ts';
import { PlatformError } from '../../errors.ts';
import { actorOf, type WorkspaceAccess } from '../../principal.ts';
import type { AuditLog } from '../../services/audit-log.ts';
import { routeForBase } from '../../services/connection-router.ts';
import type { Connections } from '../../services/connections.ts';
import { requireRole } from '../../services/workspaces.ts';
import type { Outbox } from '../outbox.ts';
import {
  type CaptureAccess,
  type PullDeps,
  type PullOptions,
  type PullResult,
  pullCapture,
} from './capture-pull.ts';
import { type CaptureRow, type CaptureStatus, macSecretAad, toStatus } from './capture-rows.ts';
import { notificationUrlFor, registerWebhook, unregisterWebhook } from './capture-webhook.ts';
import { verifyNotificationMac } from './notification-mac.ts';

export const DEFAULT_CAPTURE_POLL_INTERVAL_MS = 30_000;
/** Airtable's webhooks live 7 days; one that expires within 3 is refreshed. */
export const DEFAULT_CAPTURE_REFRESH_WITHIN_MS = 3 * 24 * 3600_000;
export const DEFAULT_CAPTURE_LEASE_MS = 60_000;

export interface ChangeCaptureSettings {
  /** How often every capture is pulled and its webhook looked after; default 30 s, 0 for never. */
  pollIntervalMs?: number;
  /** A webhook that expires within this is refreshed; default 3 days. */
  refreshWithinMs?: number;
  /** How long a pull holds its capture without committing before another may take it; default 60 s. */
  leaseMs?: number;
  /** The capture's clock (specs move it to see a webhook near its expiry); default the platform's. */
  now?: () => Date;
  /** Told of failed pulls and timer rounds; the capture goes on. */
  onError?: (error: unknown) => void;
}

export interface ChangeCaptureDeps {
  db: Database;
  audit: AuditLog;
  secretBox: SecretBox;
  outbox: Outbox;
  connections: Connections;
  engine: GatewayEngine;
  /** AIRSUITE_PUBLIC_URL: where Airtable can reach this platform; without it, the timer alone pulls. */
  publicUrl?: string;
  now: () => Date;
}

/**
 * Change capture: changes people (and anything else) make in a connected base, turned into
 * the platform's record / table / field events through an Airtable webhook whose payloads are
 * pulled on each notification ping and on a timer. The platform's own tool writes are
 * recognised (public API, as a connection's Airtable user) and skipped: they wrote their events.
 */
export interface ChangeCapture {
  /** Registers the base's webhook (admin); idempotent per base: `created` says whether it is new. */
  enable(
    access: WorkspaceAccess,
    baseId: string,
    requestId?: string,
  ): Promise<{ capture: CaptureStatus; created: boolean }>;
  list(access: WorkspaceAccess): Promise<CaptureStatus[]>;
  /** Stops capturing the base and deletes its Airtable webhook (admin). */
  disable(access: WorkspaceAccess, baseId: string, requestId?: string): Promise<void>;
  /**
   * An Airtable notification ping: refused with WEBHOOK_NOTIFICATION_UNVERIFIED unless its MAC
   * verifies against the capture's secret; then a pull starts in the background.
   */
  notify(captureId: string, body: Buffer, mac: string | string[] | undefined): Promise<void>;
  /** Pulls one capture now and waits for it, as pings and the timer do. */
  pull(captureId: string, options?: PullOptions): Promise<PullResult>;
  /** Stops the timer and waits for the pulls in flight. */
  close(): Promise<void>;
}

const selectCapture = 'SELECT * FROM webhook_captures WHERE workspace_id = $1 AND base_id = $2';

function notFound(): PlatformError {
  return new PlatformError('WEBHOOK_CAPTURE_NOT_FOUND', 'change capture is not on for this base');
}

function unverified(): PlatformError {
  return new PlatformError(
    'WEBHOOK_NOTIFICATION_UNVERIFIED',
    'the notification does not carry a valid X-Airtable-Content-MAC for this capture',
  );
}

export function createChangeCapture(
  deps: ChangeCaptureDeps,
  settings: ChangeCaptureSettings = {},
): ChangeCapture {
  const { db, audit, secretBox, connections, engine } = deps;
  const now = settings.now ?? deps.now;
  const onError = settings.onError ?? (() => {});
  const clientFor = (token: string, priority: 'interactive' | 'normal') =>
    createAirtableGateway({ engine, token, priority });

  async function accessOf(row: CaptureRow): Promise<CaptureAccess> {
    const secret = (await connections.secretsFor(row.workspace_id)).find((s) => s.id === row.connection_id);
    if (!secret) throw new PlatformError('CONNECTION_NOT_FOUND', 'the connection of this capture is gone');
    const users = await db.query<{ airtable_user_id: string }>(
      'SELECT airtable_user_id FROM connections WHERE workspace_id = $1 AND airtable_user_id IS NOT NULL',
      [row.workspace_id],
    );
    return {
      client: clientFor(secret.token, 'normal'),
      ownUsers: new Set(users.map((u) => u.airtable_user_id)),
    };
  }

  const pullDeps: PullDeps = {
    db,
    outbox: deps.outbox,
    secretBox,
    now,
    leaseMs: settings.leaseMs ?? DEFAULT_CAPTURE_LEASE_MS,
    refreshWithinMs: settings.refreshWithinMs ?? DEFAULT_CAPTURE_REFRESH_WITHIN_MS,
    publicUrl: deps.publicUrl,
    access: accessOf,
  };

  /** Pulls in flight in this process, by capture: a ping during one asks for one more round. */
  const running = new Map<string, { again: boolean; maintain: boolean; done: Promise<void> }>();
  let closed = false;

  function schedule(captureId: string, maintain: boolean): Promise<void> {
    const current = running.get(captureId);
    if (current) {
      current.again = true;
      current.maintain ||= maintain;
      return current.done;
    }
    const entry = { again: true, maintain, done: Promise.resolve() };
    entry.done = (async () => {
      try {
        while (entry.again && !closed) {
          const options = { maintain: entry.maintain };
          entry.again = false;
          entry.maintain = false;
          const result = await pullCapture(pullDeps, captureId, options, onError);
          if (result.more) entry.again = true;
        }
      } catch (error) {
        onError(error);
      } finally {
        running.delete(captureId);
      }
    })();
    running.set(captureId, entry);
    return entry.done;
  }

  let round: Promise<void> | undefined;
  async function tick(): Promise<void> {
    const rows = await db.query<{ id: string }>(
      `SELECT id FROM webhook_captures WHERE pull_lease_until IS NULL OR pull_lease_until < $1
       ORDER BY last_pull_at NULLS FIRST`,
      [now()],
    );
    for (const { id } of rows) {
      if (closed) return;
      await schedule(id, true);
    }
  }
  const interval = settings.pollIntervalMs ?? DEFAULT_CAPTURE_POLL_INTERVAL_MS;
  const timer =
    interval > 0
      ? setInterval(() => {
          round ??= tick()
            .catch(onError)
            .finally(() => {
              round = undefined;
            });
        }, interval)
      : undefined;
  timer?.unref();

  async function enable(access: WorkspaceAccess, baseId: string, requestId?: string) {
    requireRole(access, 'admin', 'turning on change capture');
    const [existing] = await db.query<CaptureRow>(selectCapture, [access.workspaceId, baseId]);
    if (existing) return { capture: toStatus(existing), created: false };
    const secrets = await connections.secretsFor(access.workspaceId);
    if (secrets.length === 0)
      throw new PlatformError(
        'CONNECTION_REQUIRED',
        'add an Airtable connection that reaches this base first',
      );
    const routes = secrets.map((secret) => ({
      id: secret.id,
      client: clientFor(secret.token, 'interactive'),
      ...(secret.bases ? { bases: secret.bases } : {}),
    }));
    const reachable = async (route: (typeof routes)[number]) =>
      new Set((await route.client.listBases()).map((base) => base.id));
    const route = await routeForBase({ routes, reachable }, baseId);
    const id = newId('cap');
    const notificationUrl = notificationUrlFor(deps.publicUrl, id);
    const hook = await registerWebhook(route.client, secretBox, {
      id,
      workspaceId: access.workspaceId,
      baseId,
      notificationUrl,
    });
    const at = now();
    const row = await db.transaction(async (tx) => {
      const [inserted] = await tx.query<CaptureRow>(
        `INSERT INTO webhook_captures (id, workspace_id, base_id, connection_id, airtable_webhook_id,
           mac_secret_sealed, notification_url, expires_at, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
         ON CONFLICT (workspace_id, base_id) DO NOTHING RETURNING *`,
        [
          id,
          access.workspaceId,
          baseId,
          route.id,
          hook.id,
          hook.macSecretSealed,
          notificationUrl ?? null,
          hook.expiresAt,
          access.principal.kind === 'user' ? access.principal.userId : access.principal.keyId,
          at,
        ],
      );
      if (!inserted) return undefined;
      await audit.record(
        {
          workspaceId: access.workspaceId,
          actor: actorOf(access.principal),
          action: 'change_capture.enable',
          target: { type: 'change_capture', id },
          outcome: 'success',
          requestId,
          details: {
            base_id: baseId,
            connection_id: route.id,
            webhook_id: hook.id,
            pings: Boolean(notificationUrl),
          },
        },
        tx,
      );
      return inserted;
    });
    if (row) return { capture: toStatus(row), created: true };
    // Someone enabled it meanwhile: theirs stays, ours goes.
    await unregisterWebhook(route.client, baseId, hook.id).catch(onError);
    const [winner] = await db.query<CaptureRow>(selectCapture, [access.workspaceId, baseId]);
    if (!winner) throw notFound();
    return { capture: toStatus(winner), created: false };
  }

  async function disable(access: WorkspaceAccess, baseId: string, requestId?: string): Promise<void> {
    requireRole(access, 'admin', 'turning off change capture');
    const [row] = await db.query<CaptureRow>(selectCapture, [access.workspaceId, baseId]);
    if (!row) throw notFound();
    const secret = (await connections.secretsFor(access.workspaceId)).find((s) => s.id === row.connection_id);
    try {
      if (secret)
        await unregisterWebhook(clientFor(secret.token, 'interactive'), baseId, row.airtable_webhook_id);
    } catch {
      throw new PlatformError(
        'CONNECTION_UNREACHABLE',
        'Airtable could not be reached to delete the webhook; try again',
      );
    }
    await db.transaction(async (tx) => {
      await tx.query('DELETE FROM webhook_captures WHERE id = $1', [row.id]);
      await audit.record(
        {
          workspaceId: access.workspaceId,
          actor: actorOf(access.principal),
          action: 'change_capture.disable',
          target: { type: 'change_capture', id: row.id },
          outcome: 'success',
          requestId,
          details: { base_id: baseId, webhook_id: row.airtable_webhook_id },
        },
        tx,
      );
    });
  }

  return {
    enable,
    disable,
    async list(access) {
      requireRole(access, 'admin', 'reading change capture');
      const rows = await db.query<CaptureRow>(
        'SELECT * FROM webhook_captures WHERE workspace_id = $1 ORDER BY created_at, id',
        [access.workspaceId],
      );
      return rows.map(toStatus);
    },
    async notify(captureId, body, mac) {
      const [row] = await db.query<Pick<CaptureRow, 'workspace_id' | 'mac_secret_sealed'>>(
        'SELECT workspace_id, mac_secret_sealed FROM webhook_captures WHERE id = $1',
        [captureId],
      );
      // An unknown capture cannot verify anything: the same answer as a bad MAC.
      if (!row) throw unverified();
      const secret = secretBox.open(row.mac_secret_sealed, macSecretAad(row.workspace_id, captureId));
      if (!verifyNotificationMac(secret, body, mac)) throw unverified();
      if (!closed) void schedule(captureId, false);
    },
    pull: (captureId, options = {}) => pullCapture(pullDeps, captureId, options, onError),
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      await round;
      await Promise.all([...running.values()].map((entry) => entry.done));
    },
  };
}
