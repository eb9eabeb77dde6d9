import {
  type AttachmentValue,
  base64Size,
  isGatewayError,
  MAX_UPLOAD_BYTES,
} from '@airsuite/airtable-gateway';
import { z } from 'zod';
import { assertWritable } from '../airtable/access.ts';
import { loadTable, resolveField } from '../airtable/schema.ts';
import { defineTool } from '../core/define-tool.ts';
import { ToolError } from '../core/tool-error.ts';
import { baseIdInput, pathSegmentInput, recordIdInput, tableInput } from '../read/shared.ts';
import { onRecord } from './comment-record.ts';

const RECORD_ID = /^rec[A-Za-z0-9]{14}$/;
const WHITESPACE = /\s+/g;

/** The file as Airtable takes it, or the TOOL_INVALID_INPUT that says what to send instead. */
function checkedFile(base64: string): { file: string; size: number } {
  // Line breaks and spaces are common in pasted or wrapped base64; they carry no bytes.
  const file = base64.replace(WHITESPACE, '');
  const size = base64Size(file);
  if (size === undefined)
    throw new ToolError(
      'TOOL_INVALID_INPUT',
      'content_base64 is not base64. Send the bytes as standard base64 (A-Z a-z 0-9 + /, padded with =), without a "data:" prefix.',
      { field: 'content_base64' },
    );
  if (size > MAX_UPLOAD_BYTES)
    throw new ToolError(
      'TOOL_INVALID_INPUT',
      `The file is ${size} bytes; upload_attachment takes at most ${MAX_UPLOAD_BYTES} (5 MB). Attach a larger file by URL with update_records.`,
      { field: 'content_base64', bytes: size, maxBytes: MAX_UPLOAD_BYTES },
    );
  return { file, size };
}

export const uploadAttachmentTool = defineTool({
  name: 'upload_attachment',
  title: 'Upload attachment',
  description:
    "Append a base64 file (≤5 MB) to a record's attachment field. Larger: a URL via update_records.",
  inputSchema: z.object({
    base_id: baseIdInput,
    table: tableInput,
    record_id: recordIdInput,
    field: pathSegmentInput(255),
    filename: z.string().min(1).max(255),
    content_type: z.string().min(1).max(255).describe('MIME type'),
    content_base64: z.string().min(1),
  }),
  outputSchema: z.object({
    id: z.string(),
    url: z.string(),
    filename: z.string(),
    size: z.number(),
    type: z.string(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  writes: true,
  async handler(input, ctx) {
    assertWritable(ctx.policy);
    const { file, size } = checkedFile(input.content_base64);
    const { table } = await loadTable(ctx, input.base_id, input.table);
    const field = resolveField(table, input.field);
    if (field.type !== 'multipleAttachments') {
      const attachmentFields = table.fields
        .filter((f) => f.type === 'multipleAttachments')
        .map((f) => f.name);
      throw new ToolError(
        'TOOL_INVALID_INPUT',
        `Field "${field.name}" is ${field.type}, not an attachment field. Attachment fields of "${table.name}": ${attachmentFields.join(', ') || 'none'}.`,
        { field: field.name, type: field.type, attachmentFields },
      );
    }
    if (!RECORD_ID.test(input.record_id))
      throw new ToolError(
        'TOOL_INVALID_INPUT',
        `"${input.record_id}" is not a record id (rec + 14 letters/digits); find it with list_records or search_records.`,
        { recordId: input.record_id },
      );
    const answer = await onRecord(input.base_id, input.record_id, async () => {
      try {
        return await ctx.airtable.uploadAttachment(
          input.base_id,
          input.record_id,
          field.id,
          { contentType: input.content_type, filename: input.filename, file },
          { signal: ctx.signal },
        );
      } catch (error) {
        // The gateway never resends a write whose fate is unknown; neither should the model, blindly.
        if (isGatewayError(error) && error.code === 'GATEWAY_WRITE_OUTCOME_UNKNOWN')
          throw new ToolError(
            'TOOL_UNAVAILABLE',
            'The upload was sent but its answer was lost, so the file MAY be attached. Check with get_record before uploading it again.',
            { outcome: 'unknown' },
          );
        throw error;
      }
    });
    // Airtable answers with the field's whole list; the upload is appended, so it is the last.
    const added: AttachmentValue | undefined = answer.fields[field.id]?.at(-1);
    if (!added)
      throw new ToolError(
        'TOOL_AIRTABLE_ERROR',
        'Airtable took the upload but did not return the attachment.',
      );
    return {
      id: added.id,
      url: added.url,
      filename: added.filename,
      size: added.size ?? size,
      type: added.type ?? input.content_type,
    };
  },
  render: (out) => `Attached ${out.filename} (${out.type}, ${out.size} bytes) as ${out.id}: ${out.url}`,
});
