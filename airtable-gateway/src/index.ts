export {
  type AirtableGateway,
  type AirtableGatewayOptions,
  type AirtableRecord,
  type AttachmentUpload,
  type AttachmentValue,
  type BaseSchema,
  type BaseSummary,
  type BatchProgress,
  type BatchWriteResult,
  createAirtableGateway,
  type FieldDefinition,
  type FieldSchema,
  type Fields,
  isIteratorExpired,
  type ListPage,
  type ListParams,
  type NewTable,
  type RecordComment,
  type RecordWriteOutcome,
  type TableSchema,
  type UploadedAttachment,
  type UpsertResult,
  type WebhookCellValues,
  type WebhookInfo,
  type WebhookPayload,
  type WebhookPayloadPage,
  type WebhookSpecification,
  type WebhookTableChanges,
  type WriteFailure,
} from './client/index.ts';
export { createGatewayEngine, type GatewayEngine } from './engine.ts';
export { GATEWAY_ERRORS, GatewayError, type GatewayErrorCode, isGatewayError } from './errors.ts';
export {
  DEFAULT_CONTENT_URL,
  DEFAULT_GATEWAY_PORT,
  DEFAULT_UPSTREAM_URL,
  GATEWAY_DEFAULTS,
  type GatewayOptions,
} from './options.ts';
export { PRIORITY_HEADER, type RunningGatewayServer, startGatewayServer } from './proxy/server.ts';
export type { GatewayRequest, GatewayResponse, Priority } from './request.ts';
export { GatewayConfigError } from './resolve-options.ts';
export { base64Size, decodeBase64, MAX_UPLOAD_BYTES } from './wire/upload-file.ts';
