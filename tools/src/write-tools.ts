import type { ToolDefinition } from './core/define-tool.ts';
import { createCommentTool } from './write/create-comment.ts';
import { createFieldTool } from './write/create-field.ts';
import { createRecordsTool } from './write/create-records.ts';
import { createTableTool } from './write/create-table.ts';
import { deleteRecordsTool } from './write/delete-records.ts';
import { listCommentsTool } from './write/list-comments.ts';
import { updateFieldTool } from './write/update-field.ts';
import { updateRecordsTool } from './write/update-records.ts';
import { updateTableTool } from './write/update-table.ts';
import { uploadAttachmentTool } from './write/upload-attachment.ts';

/** Tools that change Airtable: hidden in read-only deployments. */
export const writeTools: readonly ToolDefinition[] = [
  createRecordsTool,
  updateRecordsTool,
  deleteRecordsTool,
  createTableTool,
  updateTableTool,
  createFieldTool,
  updateFieldTool,
  createCommentTool,
  uploadAttachmentTool,
];

/** Read-only comment tools, kept beside their writing sibling; list them with the read tools. */
export const commentReadTools: readonly ToolDefinition[] = [listCommentsTool];
