import { randomBytes } from 'node:crypto';
import { errors } from '../http/errors.ts';
import type { IdGenerator } from '../model/ids.ts';
import type { BaseData } from '../model/store.ts';
import type { ChangeSet } from './base-diff.ts';
import { filterChanges } from './payload-filter.ts';
import type { WebhookSpecification } from './specification.ts';
import type { ChangeActor, StoredPayload, WebhookData, WebhookPayload } from './types.ts';

/** Airtable's limits (reference §4 and §6). */
export const MAX_WEBHOOKS_PER_BASE = 10;
export const MAX_PAYLOADS_PER_CALL = 50;
const DAY_MS = 24 * 60 * 60_000;
/** A webhook lives 7 days from creation, refresh or a payload listing. */
export const WEBHOOK_LIFETIME_MS = 7 * DAY_MS;
/** An expired webhook (and its payloads) stays readable this long, then is gone. */
export const EXPIRED_RETENTION_MS = 7 * DAY_MS;
/** Payloads are deleted a week after they were made (counted until expiry); cursors keep counting. */
export const PAYLOAD_RETENTION_MS = 7 * DAY_MS;

/** What `--data` keeps of the webhooks: plain JSON. */
export interface PersistedWebhooks {
  transactionNumbers: Record<string, number>;
  webhooks: WebhookData[];
}

export interface WebhookStoreOptions {
  ids: IdGenerator;
  now: () => Date;
  /** Marks the emulator's state as changed, so it is saved. */
  touch: () => void;
}

export interface PayloadPage {
  cursor: number;
  mightHaveMore: boolean;
  payloads: WebhookPayload[];
}

/** The webhooks of every base and the payloads each has gathered. Owned by one emulator. */
export class WebhookStore {
  readonly #hooks = new Map<string, WebhookData>();
  /** Airtable numbers every change of a base; here, every change seen while a webhook watched. */
  readonly #transactionNumbers = new Map<string, number>();
  /** Told of each new payload (the notifier pings from here). */
  onPayload: (hook: WebhookData) => void = () => {};

  constructor(private readonly options: WebhookStoreOptions) {}

  isActive(hook: WebhookData): boolean {
    return Date.parse(hook.expirationTime) > this.options.now().getTime();
  }

  /** True while the webhook still exists, is active, and has a URL to ping with notifications on. */
  wantsPings(hook: WebhookData): boolean {
    return (
      this.#hooks.get(hook.id) === hook &&
      this.isActive(hook) &&
      hook.areNotificationsEnabled &&
      hook.notificationUrl !== null
    );
  }

  /** True when a change to this base would give some webhook a payload (so it is worth diffing). */
  isWatched(baseId: string): boolean {
    return this.list(baseId).some((hook) => this.isActive(hook));
  }

  list(baseId: string): WebhookData[] {
    this.#prune();
    return [...this.#hooks.values()].filter((hook) => hook.baseId === baseId);
  }

  get(baseId: string, webhookId: string): WebhookData {
    const hook = this.list(baseId).find((h) => h.id === webhookId);
    if (!hook) throw errors.webhookNotFound();
    return hook;
  }

  create(
    base: BaseData,
    input: { notificationUrl: string | null; specification: WebhookSpecification },
  ): WebhookData {
    // Expired webhooks still count: they exist (readable) until their retention ends.
    if (this.list(base.id).length >= MAX_WEBHOOKS_PER_BASE)
      throw errors.tooManyWebhooks(MAX_WEBHOOKS_PER_BASE);
    const now = this.options.now();
    const hook: WebhookData = {
      id: this.options.ids('ach'),
      baseId: base.id,
      macSecretBase64: randomBytes(64).toString('base64'),
      notificationUrl: input.notificationUrl,
      specification: input.specification,
      areNotificationsEnabled: input.notificationUrl !== null,
      createdTime: now.toISOString(),
      expirationTime: new Date(now.getTime() + WEBHOOK_LIFETIME_MS).toISOString(),
      cursorForNextPayload: 1,
      lastNotificationResult: null,
      lastSuccessfulNotificationTime: null,
      payloads: [],
    };
    this.#hooks.set(hook.id, hook);
    this.options.touch();
    return hook;
  }

  delete(hook: WebhookData): void {
    this.#hooks.delete(hook.id);
    this.options.touch();
  }

  /** Extends an active webhook to now + 7 days. Airtable cannot revive an expired one. */
  refresh(hook: WebhookData): string {
    if (!this.isActive(hook))
      throw errors.invalidRequest('Invalid request: the webhook has expired and cannot be refreshed');
    this.#extend(hook);
    return hook.expirationTime;
  }

  setNotifications(hook: WebhookData, enable: boolean): void {
    hook.areNotificationsEnabled = enable;
    this.options.touch();
  }

  /** Payloads from `cursor` on, at most `limit`; listing extends an active webhook's life, as at Airtable. */
  payloads(hook: WebhookData, cursor: number, limit: number): PayloadPage {
    if (this.isActive(hook)) this.#extend(hook);
    const from = hook.payloads.filter((p) => p.number >= cursor);
    const page = from.slice(0, limit);
    const last = page.at(-1);
    return {
      cursor: last ? last.number + 1 : cursor,
      mightHaveMore: from.length > page.length,
      payloads: page.map((p) => structuredClone(p.payload)),
    };
  }

  /** Gives every active webhook of the base that matches the change its payload. */
  record(base: BaseData, changes: ChangeSet, actor: ChangeActor): void {
    const hooks = this.list(base.id).filter((hook) => this.isActive(hook));
    if (hooks.length === 0) return;
    const baseTransactionNumber = (this.#transactionNumbers.get(base.id) ?? 0) + 1;
    this.#transactionNumbers.set(base.id, baseTransactionNumber);
    const timestamp = this.options.now().toISOString();
    for (const hook of hooks) {
      const parts = filterChanges(changes, base, hook.specification, actor.source);
      if (!parts) continue;
      const payload: WebhookPayload = {
        timestamp,
        baseTransactionNumber,
        actionMetadata: { source: actor.source, sourceMetadata: { user: { ...actor.user } } },
        payloadFormat: 'v0',
        ...parts,
      };
      const stored: StoredPayload = { number: hook.cursorForNextPayload, payload };
      hook.payloads.push(stored);
      hook.cursorForNextPayload++;
      this.onPayload(hook);
    }
    this.options.touch();
  }

  /** Ends webhooks now (the admin API's clock control); all of them when no filter is given. */
  expire(filter: { baseId?: string; webhookId?: string }): string[] {
    this.#prune();
    const now = this.options.now().toISOString();
    const ended: string[] = [];
    for (const hook of this.#hooks.values()) {
      if (filter.baseId && hook.baseId !== filter.baseId) continue;
      if (filter.webhookId && hook.id !== filter.webhookId) continue;
      if (!this.isActive(hook)) continue;
      hook.expirationTime = now;
      ended.push(hook.id);
    }
    if (ended.length > 0) this.options.touch();
    return ended;
  }

  forgetBase(baseId: string): void {
    for (const hook of [...this.#hooks.values()]) if (hook.baseId === baseId) this.#hooks.delete(hook.id);
    this.#transactionNumbers.delete(baseId);
  }

  clear(): void {
    this.#hooks.clear();
    this.#transactionNumbers.clear();
  }

  snapshot(): PersistedWebhooks {
    return {
      transactionNumbers: Object.fromEntries(this.#transactionNumbers),
      webhooks: [...this.#hooks.values()].map((hook) => structuredClone(hook)),
    };
  }

  restore(state: PersistedWebhooks): void {
    this.clear();
    for (const [baseId, n] of Object.entries(state.transactionNumbers))
      this.#transactionNumbers.set(baseId, n);
    for (const hook of state.webhooks) this.#hooks.set(hook.id, structuredClone(hook));
  }

  #extend(hook: WebhookData): void {
    hook.expirationTime = new Date(this.options.now().getTime() + WEBHOOK_LIFETIME_MS).toISOString();
    this.options.touch();
  }

  /** Drops payloads past their week and webhooks past their week after expiry. */
  #prune(): void {
    const now = this.options.now().getTime();
    for (const hook of [...this.#hooks.values()]) {
      if (Date.parse(hook.expirationTime) + EXPIRED_RETENTION_MS <= now) {
        this.#hooks.delete(hook.id);
        continue;
      }
      // Payloads age until their webhook expires: an expired webhook's past payloads stay
      // readable as long as it does. Oldest first, so the first one kept ends the search.
      const horizon = Math.min(now, Date.parse(hook.expirationTime));
      const firstKept = hook.payloads.findIndex(
        (p) => Date.parse(p.payload.timestamp) + PAYLOAD_RETENTION_MS >= horizon,
      );
      if (firstKept !== 0) hook.payloads = firstKept === -1 ? [] : hook.payloads.slice(firstKept);
    }
  }
}
