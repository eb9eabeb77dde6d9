import { createAirtableGateway, type GatewayEngine } from '@airsuite/airtable-gateway';
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { Database } from '../../db/database.ts';
import type { WorkspaceAccess } from '../../principal.ts';
import type { AuditLog } from '../../services/audit-log.ts';
import type { Connections } from '../../services/connections.ts';
import { requireRole } from '../../services/workspaces.ts';
import type { Outbox } from '../outbox.ts';
import { type ClientFor, captureAccess } from './capture-access.ts';
import { verifyNotification } from './capture-notification.ts';
import { type PullDeps, type PullOptions, type PullResult, pullCapture } from './capture-pull.ts';
import { type CaptureRow, type CaptureStatus, toStatus } from './capture-rows.ts';
import { startCaptureTimer } from './capture-timer.ts';
import { disableCapture } from './disable-capture.ts';
import { enableCapture } from './enable-capture.ts';
import { createPullScheduler } from './pull-scheduler.ts';

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

export function createChangeCapture(
  deps: ChangeCaptureDeps,
  settings: ChangeCaptureSettings = {},
): ChangeCapture {
  const { db, secretBox, connections } = deps;
  const now = settings.now ?? deps.now;
  const onError = settings.onError ?? (() => {});
  const clientFor: ClientFor = (token, priority) =>
    createAirtableGateway({ engine: deps.engine, token, priority });
  const pullDeps: PullDeps = {
    db,
    outbox: deps.outbox,
    secretBox,
    now,
    leaseMs: settings.leaseMs ?? DEFAULT_CAPTURE_LEASE_MS,
    refreshWithinMs: settings.refreshWithinMs ?? DEFAULT_CAPTURE_REFRESH_WITHIN_MS,
    publicUrl: deps.publicUrl,
    access: (row) => captureAccess({ db, connections, clientFor }, row),
  };
  const pull = (captureId: string, options: PullOptions = {}) =>
    pullCapture(pullDeps, captureId, options, onError);
  const scheduler = createPullScheduler(pull, onError);
  const timer = startCaptureTimer({
    db,
    now,
    intervalMs: settings.pollIntervalMs ?? DEFAULT_CAPTURE_POLL_INTERVAL_MS,
    scheduler,
    onError,
  });
  const admin = {
    db,
    audit: deps.audit,
    secretBox,
    connections,
    clientFor,
    publicUrl: deps.publicUrl,
    now,
    onError,
  };

  return {
    enable: (access, baseId, requestId) => enableCapture(admin, access, baseId, requestId),
    disable: (access, baseId, requestId) => disableCapture(admin, access, baseId, requestId),
    async list(access) {
      requireRole(access, 'admin', 'reading change capture');
      const rows = await db.query<CaptureRow>(
        'SELECT * FROM webhook_captures WHERE workspace_id = $1 ORDER BY created_at, id',
        [access.workspaceId],
      );
      return rows.map(toStatus);
    },
    async notify(captureId, body, mac) {
      await verifyNotification({ db, secretBox }, captureId, body, mac);
      void scheduler.schedule(captureId, false);
    },
    pull,
    async close() {
      // Closed first, so the timer's round in progress schedules nothing more while it ends.
      const pulls = scheduler.close();
      await timer.stop();
      await pulls;
    },
  };
}
