import type { GatewayEngine } from '../engine.ts';
import { GatewayError } from '../errors.ts';
import { PRIORITIES, type Priority } from '../request.ts';
import { type AttachmentUpload, attachmentsApi, type UploadedAttachment } from './attachments.ts';
import type { BatchRunOptions, BatchWriteResult, UpsertResult } from './batch-runner.ts';
import { commentsApi } from './comments.ts';
import type { EngineCaller } from './engine-call.ts';
import { metadataApi } from './metadata.ts';
import { getOneRecord, getPage, type ListPage, listAllRecords, listPages } from './record-reads.ts';
import {
  type NewRecord,
  type RecordUpdate,
  recordWrites,
  type UpdateOptions,
  type UpsertRecord,
  type WriteOptions,
} from './record-writes.ts';
import type {
  AirtableRecord,
  BaseSchema,
  BaseSummary,
  CallOptions,
  FieldDefinition,
  FieldSchema,
  GetRecordParams,
  ListParams,
  NewTable,
  RecordComment,
  SchemaChange,
  SchemaReadOptions,
  TableSchema,
  WhoAmI,
} from './types.ts';
import {
  type CreatedWebhook,
  type NewWebhook,
  type WebhookInfo,
  type WebhookPayloadPage,
  type WebhookPayloadParams,
  webhooksApi,
} from './webhooks.ts';

export const DEFAULT_CLIENT_PRIORITY: Priority = 'interactive';
export const DEFAULT_CLIENT_CACHE = true;

export interface AirtableGatewayOptions {
  /** The engine every call goes through (budgets, queue, retries, caches). Not closed by the client. */
  engine: GatewayEngine;
  /** The caller's Airtable token: sent upstream, never logged, never in an error message. */
  token: string;
  /** Queue priority of every call, handed to the engine with each request. Default 'interactive'. */
  priority?: Priority;
  /** May record reads be answered from the engine's record cache (when its TTL is > 0)? Default true. */
  cache?: boolean;
}

/**
 * A typed Airtable client: a plain object whose every call (records, metadata, comments,
 * uploads) is one call into the gateway engine, with no socket in between. Reads and schema
 * calls throw GatewayError; multi-record writes never throw for a rejected batch and report
 * per record instead.
 */
export interface AirtableGateway {
  readonly priority: Priority;
  /** A client with another priority over the same engine and token; closing either closes both. */
  withPriority(priority: Priority): AirtableGateway;

  /** Pages of a records list: offsets followed, `maxRecords` honoured, an expired cursor survived. */
  listAll(
    baseId: string,
    table: string,
    params?: ListParams,
    options?: CallOptions,
  ): AsyncIterable<AirtableRecord[]>;
  /**
   * One page of a records list; pass the returned `offset` to get the next one. For callers
   * that hand a continuation to someone else (a tool's cursor); otherwise prefer `listAll`.
   */
  listPage(
    baseId: string,
    table: string,
    params?: ListParams & { offset?: string },
    options?: CallOptions,
  ): Promise<ListPage>;
  /** Every record of a list, all pages collected. */
  listRecords(
    baseId: string,
    table: string,
    params?: ListParams,
    options?: CallOptions,
  ): Promise<AirtableRecord[]>;
  /** One record; a missing one throws AIRTABLE_ERROR with upstreamStatus 404. */
  getRecord(
    baseId: string,
    table: string,
    recordId: string,
    params?: GetRecordParams,
    options?: CallOptions,
  ): Promise<AirtableRecord>;

  /** Creates any number of records, in batches of 10 sent in order; stops at the first failed batch. */
  createMany(
    baseId: string,
    table: string,
    records: readonly NewRecord[],
    options?: WriteOptions,
  ): Promise<BatchWriteResult>;
  /** Updates (PATCH, or PUT with `replace`) any number of records, in batches of 10. */
  updateMany(
    baseId: string,
    table: string,
    records: readonly RecordUpdate[],
    options?: UpdateOptions,
  ): Promise<BatchWriteResult>;
  /** Creates or updates, matching on 1–3 `fieldsToMergeOn`; says which records were created and which updated. */
  upsertMany(
    baseId: string,
    table: string,
    records: readonly UpsertRecord[],
    fieldsToMergeOn: readonly string[],
    options?: WriteOptions,
  ): Promise<UpsertResult>;
  /** Deletes any number of records by id, in batches of 10. */
  deleteMany(
    baseId: string,
    table: string,
    recordIds: readonly string[],
    options?: BatchRunOptions,
  ): Promise<BatchWriteResult>;

  whoami(options?: CallOptions): Promise<WhoAmI>;
  /** Every base the token reaches (all pages). */
  listBases(options?: CallOptions): Promise<BaseSummary[]>;
  /** The base's tables, fields and views (cached; `fresh` reads it from Airtable). */
  getBaseSchema(baseId: string, options?: SchemaReadOptions): Promise<BaseSchema>;
  createTable(baseId: string, table: NewTable, options?: CallOptions): Promise<TableSchema>;
  updateTable(
    baseId: string,
    tableIdOrName: string,
    change: SchemaChange,
    options?: CallOptions,
  ): Promise<TableSchema>;
  createField(
    baseId: string,
    tableId: string,
    field: FieldDefinition,
    options?: CallOptions,
  ): Promise<FieldSchema>;
  updateField(
    baseId: string,
    tableId: string,
    fieldId: string,
    change: SchemaChange,
    options?: CallOptions,
  ): Promise<FieldSchema>;

  /** Every comment of a record, newest first (all pages). */
  listComments(
    baseId: string,
    table: string,
    recordId: string,
    options?: CallOptions,
  ): Promise<RecordComment[]>;
  createComment(
    baseId: string,
    table: string,
    recordId: string,
    text: string,
    options?: CallOptions & { parentCommentId?: string },
  ): Promise<RecordComment>;
  updateComment(
    baseId: string,
    table: string,
    recordId: string,
    commentId: string,
    text: string,
    options?: CallOptions,
  ): Promise<RecordComment>;
  deleteComment(
    baseId: string,
    table: string,
    recordId: string,
    commentId: string,
    options?: CallOptions,
  ): Promise<{ id: string; deleted: boolean }>;

  /**
   * Appends a file to a record's attachment field (field id or name) through Airtable's
   * upload-attachment endpoint, on the content origin. A write: sent once.
   */
  uploadAttachment(
    baseId: string,
    recordId: string,
    field: string,
    upload: AttachmentUpload,
    options?: CallOptions,
  ): Promise<UploadedAttachment>;

  /**
   * Registers a webhook on the base (creator permission; at most 10 a base). The answer's
   * `macSecretBase64` is given only here.
   */
  createWebhook(baseId: string, webhook: NewWebhook, options?: CallOptions): Promise<CreatedWebhook>;
  /** The base's webhooks, with their cursor, expiry and last notification. */
  listWebhooks(baseId: string, options?: CallOptions): Promise<WebhookInfo[]>;
  deleteWebhook(baseId: string, webhookId: string, options?: CallOptions): Promise<void>;
  /** Extends the webhook to 7 days from now; an expired one cannot be refreshed (AIRTABLE_ERROR 422). */
  refreshWebhook(
    baseId: string,
    webhookId: string,
    options?: CallOptions,
  ): Promise<{ expirationTime: string | null }>;
  /** One page of payloads from `cursor` (at most 50); listing also extends an active webhook's life. */
  listWebhookPayloads(
    baseId: string,
    webhookId: string,
    params?: WebhookPayloadParams,
    options?: CallOptions,
  ): Promise<WebhookPayloadPage>;

  /** Ends this client and its `withPriority` siblings: later calls throw GATEWAY_INVALID_REQUEST. The engine stays open. */
  close(): Promise<void>;
}

function checkPriority(priority: Priority): Priority {
  if (!(PRIORITIES as readonly string[]).includes(priority))
    throw new GatewayError('GATEWAY_INVALID_REQUEST', {
      message: `priority must be one of ${PRIORITIES.join(', ')}`,
    });
  return priority;
}

/** Whether a client (and its `withPriority` siblings) may still call. */
interface Lifecycle {
  closed: boolean;
}

function build(options: Readonly<Required<AirtableGatewayOptions>>, lifecycle: Lifecycle): AirtableGateway {
  const caller: EngineCaller = {
    ...options,
    assertOpen: () => {
      if (lifecycle.closed)
        throw new GatewayError('GATEWAY_INVALID_REQUEST', {
          message: 'This Airtable gateway client is closed',
        });
    },
  };
  return {
    priority: options.priority,
    withPriority: (next) => build({ ...options, priority: checkPriority(next) }, lifecycle),
    listAll: (baseId, table, params, callOptions) => listPages(caller, baseId, table, params, callOptions),
    listPage: (baseId, table, params, callOptions) => getPage(caller, baseId, table, params, callOptions),
    listRecords: (baseId, table, params, callOptions) =>
      listAllRecords(caller, baseId, table, params, callOptions),
    getRecord: (baseId, table, recordId, params, callOptions) =>
      getOneRecord(caller, baseId, table, recordId, params, callOptions),
    ...recordWrites(caller),
    ...metadataApi(caller),
    ...commentsApi(caller),
    ...attachmentsApi(caller),
    ...webhooksApi(caller),
    close: async () => {
      lifecycle.closed = true;
    },
  };
}

/** Builds a client over `options.engine`: nothing to start, nothing held but the options. */
export function createAirtableGateway(options: AirtableGatewayOptions): AirtableGateway {
  if (!options.token) throw new GatewayError('GATEWAY_UNAUTHENTICATED');
  const resolved = Object.freeze({
    engine: options.engine,
    token: options.token,
    priority: checkPriority(options.priority ?? DEFAULT_CLIENT_PRIORITY),
    cache: options.cache ?? DEFAULT_CLIENT_CACHE,
  });
  return build(resolved, { closed: false });
}
