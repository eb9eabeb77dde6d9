export {
  type AirtableGateway,
  type AirtableGatewayOptions,
  createAirtableGateway,
  DEFAULT_CLIENT_CACHE,
  DEFAULT_CLIENT_PRIORITY,
} from './airtable-gateway.ts';
export type { AttachmentUpload, AttachmentValue, UploadedAttachment } from './attachments.ts';
export {
  AIRTABLE_BATCH_SIZE,
  type BatchProgress,
  type BatchRunOptions,
  type BatchWriteResult,
  type FailedRecord,
  type NotAttemptedRecord,
  type RecordWriteOutcome,
  type UpsertResult,
  type WriteFailure,
  type WrittenRecord,
} from './batch-runner.ts';
export { isIteratorExpired, type ListPage } from './record-reads.ts';
export type {
  NewRecord,
  RecordUpdate,
  UpdateOptions,
  UpsertRecord,
  WriteOptions,
} from './record-writes.ts';
export type {
  AirtableRecord,
  BaseSchema,
  BaseSummary,
  CallOptions,
  FieldDefinition,
  FieldSchema,
  Fields,
  GetRecordParams,
  ListParams,
  NewTable,
  RecordComment,
  SchemaChange,
  SchemaReadOptions,
  TableSchema,
  ViewSchema,
  WhoAmI,
} from './types.ts';
export type {
  CreatedWebhook,
  NewWebhook,
  WebhookCellValues,
  WebhookCreatedTable,
  WebhookInfo,
  WebhookNotificationResult,
  WebhookPayload,
  WebhookPayloadPage,
  WebhookPayloadParams,
  WebhookSpecification,
  WebhookTableChanges,
} from './webhooks.ts';
