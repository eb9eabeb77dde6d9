import { callEngine, type EngineCaller } from './engine-call.ts';
import type { CallOptions } from './types.ts';

/** A file for Airtable's upload-attachment endpoint. */
export interface AttachmentUpload {
  /** MIME type, e.g. `image/png`. */
  contentType: string;
  filename: string;
  /** The file's bytes, base64-encoded; at most `MAX_UPLOAD_BYTES` once decoded. */
  file: string;
}

/** An attachment as Airtable returns it in a cell. */
export interface AttachmentValue {
  id: string;
  url: string;
  filename: string;
  size?: number;
  type?: string;
  width?: number;
  height?: number;
  thumbnails?: Record<string, { url: string; width?: number; height?: number }>;
}

/** Airtable's answer to an upload: the record with only that field, keyed by field id. */
export interface UploadedAttachment {
  id: string;
  createdTime: string;
  /** The field's whole attachment list, the new file last. */
  fields: Record<string, AttachmentValue[]>;
}

/**
 * Airtable's upload-attachment endpoint, through the engine like every call: the engine sends it
 * to the content origin (`contentUrl`), spends the base's budget, and, as for any write, retries
 * it only when it provably was not sent.
 */
export function attachmentsApi(caller: EngineCaller) {
  return {
    /** Appends a file to a record's attachment field (by field id or name). */
    uploadAttachment: (
      baseId: string,
      recordId: string,
      field: string,
      upload: AttachmentUpload,
      options: CallOptions = {},
    ) =>
      callEngine<UploadedAttachment>(caller, {
        method: 'POST',
        segments: [baseId, recordId, field, 'uploadAttachment'],
        body: { contentType: upload.contentType, file: upload.file, filename: upload.filename },
        signal: options.signal,
      }),
  };
}
