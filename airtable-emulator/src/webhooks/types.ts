import type { WebhookSpecification } from './specification.ts';

/** Who made a change, as `actionMetadata.source` names it: the public API or a person in the UI. */
export type ChangeSource = 'publicApi' | 'client';

/** The person behind a change, as `actionMetadata.sourceMetadata.user` shows them. */
export interface ChangeActor {
  source: ChangeSource;
  user: { id: string; email: string; name?: string; permissionLevel: string };
}

/** What Airtable keeps about the last notification ping (its "Webhooks notification" object). */
export interface NotificationResult {
  success: boolean;
  error?: { message: string };
  completionTimestamp: string;
  durationMs: number;
  retryNumber: number;
  willBeRetried?: boolean;
}

/** One payload as the payloads endpoint returns it; JSON all the way down. */
export type WebhookPayload = Record<string, unknown> & {
  timestamp: string;
  baseTransactionNumber: number;
  payloadFormat: 'v0';
};

export interface StoredPayload {
  /** The payload's cursor: the webhook's first payload is 1, the next 2, and so on. */
  number: number;
  payload: WebhookPayload;
}

/**
 * A webhook and its payloads. Plain JSON, so the state file holds it as it is. `expirationTime`
 * is when it stops (isHookEnabled false); 7 days later it is gone.
 */
export interface WebhookData {
  id: string;
  baseId: string;
  macSecretBase64: string;
  notificationUrl: string | null;
  specification: WebhookSpecification;
  areNotificationsEnabled: boolean;
  createdTime: string;
  expirationTime: string;
  cursorForNextPayload: number;
  lastNotificationResult: NotificationResult | null;
  lastSuccessfulNotificationTime: string | null;
  /** Oldest first; those older than the retention are dropped as time passes. */
  payloads: StoredPayload[];
}
