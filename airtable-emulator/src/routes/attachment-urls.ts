import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../http/errors.ts';
import { sendJson } from '../http/respond.ts';
import { splitPath } from '../http/router.ts';
import type { FileStore } from '../model/file-store.ts';

/**
 * Uploaded files are served at `/attachments/{attachmentId}/{filename}`, outside `/v0`: like
 * Airtable's attachment URLs they need no token (the unguessable id is the key) and spend no
 * rate-limit budget.
 */
export const ATTACHMENTS_PATH = '/attachments/';

export function attachmentUrl(origin: string, attachmentId: string, filename: string): string {
  return `${origin}${ATTACHMENTS_PATH}${attachmentId}/${encodeURIComponent(filename)}`;
}

/**
 * Answers a GET (or HEAD) of an attachment URL with the file's bytes and content type. Airtable
 * serves files from a separate domain; here they share the emulator's origin with its admin API,
 * so a file is sandboxed (no scripts, an opaque origin) and never sniffed into another type.
 */
export async function serveAttachment(
  files: FileStore,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const segments = splitPath(url.pathname) ?? [];
  const id = segments.length === 3 ? segments[1] : undefined;
  const readable = req.method === 'GET' || req.method === 'HEAD';
  const file = id && readable ? await files.get(id) : undefined;
  if (!file) {
    const missing = errors.notFound();
    sendJson(res, missing.status, missing.toBody());
    return;
  }
  res.writeHead(200, {
    'content-type': file.type,
    'content-length': file.bytes.length,
    'content-security-policy': 'sandbox',
    'x-content-type-options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : file.bytes);
}
