import { randomBytes } from 'node:crypto';
import type { AirtableGateway, WebhookPayload } from '@airsuite/airtable-gateway';
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { Database } from '../../db/database.ts';
import { isPlatformError } from '../../errors.ts';
import type { EventInput, Outbox } from '../outbox.ts';
import {
  advanceCursor,
  type CaptureRow,
  claimLease,
  type Fence,
  recordRefresh,
  releaseLease,
  replaceWebhook,
} from './capture-rows.ts';
import { isWebhookGone, notificationUrlFor, registerWebhook, unregisterWebhook } from './capture-webhook.ts';
import { idsNamedBy, type Names, namesAfterEach, namesOfSchema } from './field-names.ts';
import { eventsOfPayload, isOwnWrite } from './payload-events.ts';

/** Airtable's largest page of payloads. */
export const PAYLOADS_PER_PAGE = 50;
/** Pages one pull converts before it gives the lease back (and asks to be run again). */
export const MAX_PAGES_PER_PULL = 20;

/** What a capture's pull works with: the client of its connection, and who "we" are at Airtable. */
export interface CaptureAccess {
  client: AirtableGateway;
  /** The Airtable users of the workspace's connections: their public-API changes are the tools' own. */
  ownUsers: ReadonlySet<string>;
}

export interface PullDeps {
  db: Database;
  outbox: Outbox;
  secretBox: SecretBox;
  now: () => Date;
  leaseMs: number;
  refreshWithinMs: number;
  publicUrl: string | undefined;
  access(row: CaptureRow): Promise<CaptureAccess>;
}

export interface PullOptions {
  /** Also look after the webhook: refresh it before it expires, replace it once expired or gone. */
  maintain?: boolean;
}

export interface PullResult {
  /** `busy`: another pull holds the capture; `missing`: no such capture (any more). */
  outcome: 'pulled' | 'busy' | 'missing' | 'failed';
  /** Events written. */
  events: number;
  /** Payloads read, the platform's own writes (skipped) included. */
  payloads: number;
  /** More payloads wait than one pull converts. */
  more: boolean;
  refreshed: boolean;
  recreated: boolean;
  error?: string;
}

/** A commit found the capture no longer its own: nothing was written. */
class FenceLost extends Error {}

interface Pull {
  deps: PullDeps;
  access: CaptureAccess;
  row: CaptureRow;
  token: string;
  result: PullResult;
}

/** The events of one page, named as fields and tables were called at each payload. */
async function eventsOfPage(pull: Pull, payloads: readonly WebhookPayload[]): Promise<EventInput[]> {
  const { client, ownUsers } = pull.access;
  const baseId = pull.row.base_id;
  const wanted = payloads.map((payload) => !payload.error && !isOwnWrite(payload, ownUsers));
  if (!wanted.includes(true)) return [];
  let names: Names = namesOfSchema(await client.getBaseSchema(baseId));
  const ids = idsNamedBy(payloads);
  const unknown =
    [...ids.fields].some((id) => !names.fields.has(id)) ||
    [...ids.tables].some((id) => !names.tables.has(id));
  if (unknown) names = namesOfSchema(await client.getBaseSchema(baseId, { fresh: true }));
  // Every payload takes part in the walk back: a rename by a tool still renamed the field.
  const namesAfter = namesAfterEach(payloads, names);
  const source = { workspaceId: pull.row.workspace_id, baseId };
  return payloads.flatMap((payload, i) =>
    wanted[i] ? eventsOfPayload(payload, namesAfter[i] as Names, source) : [],
  );
}

/** Converts pages until Airtable has no more (or the pull's share is done), one transaction a page. */
async function drain(pull: Pull): Promise<void> {
  const { deps, row } = pull;
  for (let page = 0; page < MAX_PAGES_PER_PULL; page += 1) {
    const cursor = Number(row.cursor);
    const answer = await pull.access.client.listWebhookPayloads(row.base_id, row.airtable_webhook_id, {
      cursor,
      limit: PAYLOADS_PER_PAGE,
    });
    const events = await eventsOfPage(pull, answer.payloads);
    const fence: Fence = { id: row.id, token: pull.token, webhookId: row.airtable_webhook_id, cursor };
    // The cursor moves in the transaction that writes the page's events: both or neither.
    await deps.db.transaction(async (tx) => {
      const next = { cursor: answer.cursor, events: events.length, now: deps.now(), leaseMs: deps.leaseMs };
      if (!(await advanceCursor(tx, fence, next))) throw new FenceLost();
      await deps.outbox.emit(tx, events);
    });
    row.cursor = answer.cursor;
    pull.result.payloads += answer.payloads.length;
    pull.result.events += events.length;
    if (!answer.mightHaveMore) return;
  }
  pull.result.more = true;
}

/** Registers a new webhook in place of the capture's expired or vanished one. */
async function recreate(pull: Pull, gapFrom: Date | string | null): Promise<void> {
  const { deps, row } = pull;
  const { client } = pull.access;
  const hook = await registerWebhook(client, deps.secretBox, {
    id: row.id,
    workspaceId: row.workspace_id,
    baseId: row.base_id,
    notificationUrl: notificationUrlFor(deps.publicUrl, row.id),
  });
  const fence = { id: row.id, token: pull.token, webhookId: row.airtable_webhook_id };
  const replaced = await replaceWebhook(deps.db, fence, hook, { from: gapFrom, until: deps.now() }).catch(
    async (error: unknown) => {
      await unregisterWebhook(client, row.base_id, hook.id).catch(() => {});
      throw error;
    },
  );
  if (!replaced) {
    await unregisterWebhook(client, row.base_id, hook.id).catch(() => {});
    throw new FenceLost();
  }
  // The old one may still exist, expired: it counts toward the base's 10 until it is gone.
  await unregisterWebhook(client, row.base_id, row.airtable_webhook_id).catch(() => {});
  pull.row = replaced;
  pull.result.recreated = true;
}

/** Refreshes the webhook within `refreshWithinMs` of its expiry; says whether it is expired or gone. */
async function maintain(pull: Pull): Promise<'ok' | 'expired' | 'gone'> {
  const { deps, row } = pull;
  const { client } = pull.access;
  const hook = (await client.listWebhooks(row.base_id)).find((h) => h.id === row.airtable_webhook_id);
  if (!hook) return 'gone';
  if (!hook.isHookEnabled) return 'expired';
  const fence = { id: row.id, token: pull.token };
  const expires = hook.expirationTime ? Date.parse(hook.expirationTime) : Number.POSITIVE_INFINITY;
  if (expires - deps.now().getTime() > deps.refreshWithinMs) {
    await recordRefresh(deps.db, fence, hook.expirationTime, deps.now(), false);
    return 'ok';
  }
  try {
    const refreshed = await client.refreshWebhook(row.base_id, row.airtable_webhook_id);
    await recordRefresh(deps.db, fence, refreshed.expirationTime, deps.now(), true);
    pull.result.refreshed = true;
    return 'ok';
  } catch (error) {
    if (isWebhookGone(error, true)) return 'expired';
    throw error;
  }
}

async function run(pull: Pull, options: PullOptions): Promise<void> {
  const state = options.maintain ? await maintain(pull) : 'ok';
  const lastSeen = pull.row.last_pull_at ?? pull.row.created_at;
  if (state === 'expired') {
    // An expired webhook's payloads stay readable a while: take what it has, then replace it.
    await drain(pull).catch((error: unknown) => {
      if (!isWebhookGone(error)) throw error;
    });
    await recreate(pull, pull.row.expires_at ?? lastSeen);
  } else if (state === 'gone') await recreate(pull, lastSeen);
  try {
    await drain(pull);
  } catch (error) {
    if (!isWebhookGone(error) || pull.result.recreated) throw error;
    await recreate(pull, pull.row.last_pull_at ?? lastSeen);
    await drain(pull);
  }
}

/** What `last_error` says: the coded error's message, never an unexpected error's. */
function messageOf(error: unknown): string {
  if (isPlatformError(error)) return `${error.code}: ${error.message}`;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && error instanceof Error) return `${code}: ${error.message}`;
  return 'unexpected error while pulling; see the logs';
}

/**
 * One pull of a capture: take its lease, optionally look after its webhook, convert every new
 * payload into events (each page's events and cursor in one transaction), give the lease back
 * with the error that stopped it, if any. Errors are results, not throws (`onError` hears them).
 */
export async function pullCapture(
  deps: PullDeps,
  captureId: string,
  options: PullOptions = {},
  onError: (error: unknown) => void = () => {},
): Promise<PullResult> {
  const result: PullResult = {
    outcome: 'pulled',
    events: 0,
    payloads: 0,
    more: false,
    refreshed: false,
    recreated: false,
  };
  const token = randomBytes(12).toString('base64url');
  const row = await claimLease(deps.db, captureId, token, deps.now(), deps.leaseMs);
  if (!row) {
    const [exists] = await deps.db.query('SELECT 1 FROM webhook_captures WHERE id = $1', [captureId]);
    return { ...result, outcome: exists ? 'busy' : 'missing' };
  }
  try {
    const pull: Pull = { deps, access: await deps.access(row), row, token, result };
    await run(pull, options);
    await releaseLease(deps.db, captureId, token);
    return result;
  } catch (error) {
    if (error instanceof FenceLost) {
      // Another pull took over (or the capture went): nothing of this one was committed.
      await releaseLease(deps.db, captureId, token).catch(onError);
      return { ...result, outcome: 'busy' };
    }
    onError(error);
    const message = messageOf(error);
    await releaseLease(deps.db, captureId, token, { message, at: deps.now() }).catch(onError);
    return { ...result, outcome: 'failed', error: message };
  }
}
