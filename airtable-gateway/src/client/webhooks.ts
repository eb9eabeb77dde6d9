import { callEngine, type EngineCaller } from './engine-call.ts';
import type { CallOptions } from './types.ts';

/** What a webhook watches (Airtable's "webhooks specification"), as Airtable takes it. */
export interface WebhookSpecification {
  options: {
    filters: {
      dataTypes: ('tableData' | 'tableFields' | 'tableMetadata')[];
      /** A table or view id. */
      recordChangeScope?: string;
      changeTypes?: ('add' | 'remove' | 'update')[];
      fromSources?: string[];
      sourceOptions?: Record<string, unknown>;
      watchDataInFieldIds?: string[];
      watchSchemasOfFieldIds?: string[];
    };
    includes?: {
      includeCellValuesInFieldIds?: string[] | 'all';
      includePreviousCellValues?: boolean;
      includePreviousFieldDefinitions?: boolean;
    };
  };
}

export interface NewWebhook {
  /** Where Airtable pings when payloads arrive; without one, only polling finds them. */
  notificationUrl?: string | null;
  specification: WebhookSpecification;
}

/** Airtable's answer to a create: the MAC secret is in this answer only. */
export interface CreatedWebhook {
  id: string;
  /** Keys the HMAC-SHA256 of each ping's body (`X-Airtable-Content-MAC`), base64-decoded. */
  macSecretBase64: string;
  expirationTime: string | null;
}

/** The outcome of Airtable's last notification ping. */
export interface WebhookNotificationResult {
  success: boolean;
  error?: { message: string };
  completionTimestamp: string;
  durationMs: number;
  retryNumber: number;
  willBeRetried?: boolean;
}

/** One entry of `GET /v0/bases/{baseId}/webhooks`. */
export interface WebhookInfo {
  id: string;
  areNotificationsEnabled: boolean;
  cursorForNextPayload: number;
  /** False once it expired (its payloads stay readable a while) or Airtable turned it off. */
  isHookEnabled: boolean;
  lastSuccessfulNotificationTime: string | null;
  notificationUrl: string | null;
  expirationTime: string | null;
  lastNotificationResult: WebhookNotificationResult | null;
  specification: WebhookSpecification;
}

/** Cell values by field id, in Airtable's V2 cell format (selects as objects, links as `{id, name}`). */
export type WebhookCellValues = Record<string, unknown>;

/** What one change did to one table, as a payload reports it; empty parts are absent. */
export interface WebhookTableChanges {
  changedMetadata?: {
    current: { name?: string; description?: string | null };
    previous?: { name?: string; description?: string | null };
  };
  createdFieldsById?: Record<string, { name: string; type: string }>;
  changedFieldsById?: Record<
    string,
    { current: { name?: string; type?: string }; previous?: { name?: string; type?: string } }
  >;
  destroyedFieldIds?: string[];
  createdRecordsById?: Record<string, { createdTime: string; cellValuesByFieldId: WebhookCellValues }>;
  changedRecordsById?: Record<
    string,
    {
      current: { cellValuesByFieldId: WebhookCellValues };
      previous?: { cellValuesByFieldId: WebhookCellValues };
      unchanged?: { cellValuesByFieldId: WebhookCellValues };
    }
  >;
  destroyedRecordIds?: string[];
}

export interface WebhookCreatedTable {
  metadata?: { name: string; description?: string | null };
  fieldsById?: Record<string, { name: string; type: string }>;
  recordsById?: Record<string, { createdTime: string; cellValuesByFieldId: WebhookCellValues }>;
}

/** One payload: the changes of one transaction of the base. */
export interface WebhookPayload {
  timestamp: string;
  baseTransactionNumber: number;
  payloadFormat: 'v0';
  actionMetadata?: {
    /** `client` (a person in the UI), `publicApi`, `automation`, `formSubmission`, `sync`, … */
    source: string;
    sourceMetadata?: {
      user?: { id: string; email?: string; name?: string; permissionLevel?: string };
      [key: string]: unknown;
    };
  };
  changedTablesById?: Record<string, WebhookTableChanges>;
  createdTablesById?: Record<string, WebhookCreatedTable>;
  destroyedTableIds?: string[];
  /** An error payload (`INVALID_FILTERS`, `INVALID_HOOK`, `INTERNAL_ERROR`) instead of changes. */
  error?: boolean;
  code?: string;
}

/** `GET …/webhooks/{id}/payloads`: `cursor` is the one to ask for next. */
export interface WebhookPayloadPage {
  payloads: WebhookPayload[];
  cursor: number;
  mightHaveMore: boolean;
}

export interface WebhookPayloadParams {
  /** The first payload wanted; Airtable's default is 1. */
  cursor?: number;
  /** At most 50 (Airtable's default and maximum). */
  limit?: number;
}

/**
 * Airtable's webhooks API (create, list, delete, refresh, list payloads), called straight
 * through the engine: the calls spend the base's budget like every other. Creating,
 * deleting and refreshing are writes, sent once; listing payloads is a read.
 */
export function webhooksApi(caller: EngineCaller) {
  const hooks = (baseId: string) => ['bases', baseId, 'webhooks'];
  return {
    createWebhook: (baseId: string, webhook: NewWebhook, options: CallOptions = {}) =>
      callEngine<CreatedWebhook>(caller, {
        method: 'POST',
        segments: hooks(baseId),
        body: webhook,
        signal: options.signal,
      }),

    listWebhooks: async (baseId: string, options: CallOptions = {}) =>
      (
        await callEngine<{ webhooks: WebhookInfo[] }>(caller, {
          method: 'GET',
          segments: hooks(baseId),
          signal: options.signal,
        })
      ).webhooks,

    deleteWebhook: async (baseId: string, webhookId: string, options: CallOptions = {}): Promise<void> => {
      await callEngine(caller, {
        method: 'DELETE',
        segments: [...hooks(baseId), webhookId],
        signal: options.signal,
      });
    },

    refreshWebhook: (baseId: string, webhookId: string, options: CallOptions = {}) =>
      callEngine<{ expirationTime: string | null }>(caller, {
        method: 'POST',
        segments: [...hooks(baseId), webhookId, 'refresh'],
        signal: options.signal,
      }),

    listWebhookPayloads: (
      baseId: string,
      webhookId: string,
      params: WebhookPayloadParams = {},
      options: CallOptions = {},
    ) =>
      callEngine<WebhookPayloadPage>(caller, {
        method: 'GET',
        segments: [...hooks(baseId), webhookId, 'payloads'],
        query: { cursor: params.cursor, limit: params.limit },
        signal: options.signal,
      }),
  };
}
