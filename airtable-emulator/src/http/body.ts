import type { IncomingMessage } from 'node:http';
import { errors } from './errors.ts';

/**
 * Past the limit, this much more of a body is still read and dropped before the 413, so the
 * client finishes its upload and the connection stays usable; beyond it the connection is
 * given up (the pipeline answers with `Connection: close`).
 */
const MAX_DISCARDED_BYTES = 64 * 1024 * 1024;

/** Reads the body up to `limit` bytes; past it, Airtable's 413 once the rest is drained. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit + MAX_DISCARDED_BYTES) throw errors.bodyTooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit + MAX_DISCARDED_BYTES) throw errors.bodyTooLarge(limit);
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  if (size > limit) throw errors.bodyTooLarge(limit);
  return Buffer.concat(chunks);
}

/** An empty body is `undefined`; anything else must be JSON. */
export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw errors.invalidJson();
  }
}
