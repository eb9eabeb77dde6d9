import type { IncomingMessage } from 'node:http';
import type { RecordedRequest } from './script.ts';
import { type GenerateContentRequestBody, isRecord } from './wire.ts';

const ROUTE = /^\/(v1beta|v1)\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;
const REDACTED = '[REDACTED]';
const SECRET_HEADERS = new Set(['x-goog-api-key', 'authorization']);

/** A received request: what is recorded of it, and what the fake still needs to judge it. */
export interface IncomingRequest {
  request: RecordedRequest;
  url: URL;
  /** False when the path (or method) is not a Gemini route. */
  routed: boolean;
  /** The body, parsed; `json` false when it was not JSON. */
  parsed: unknown;
  json: boolean;
}

function recordHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name] = SECRET_HEADERS.has(name) ? REDACTED : Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(raw: string): { parsed: unknown; json: boolean } {
  try {
    return { parsed: JSON.parse(raw), json: true };
  } catch {
    return { parsed: undefined, json: false };
  }
}

/** Reads the whole request; every request is recorded as received, accepted or not. */
export async function readRequest(req: IncomingMessage): Promise<IncomingRequest> {
  const raw = await readBody(req);
  const url = new URL(req.url ?? '/', 'http://fake-gemini');
  const match = req.method === 'POST' ? ROUTE.exec(url.pathname) : null;
  const { parsed, json } = parseJson(raw);
  const request: RecordedRequest = {
    path: req.url ?? '/',
    model: match?.[2] ? decodeURIComponent(match[2]) : '',
    stream: match?.[3] === 'streamGenerateContent',
    body: (isRecord(parsed) ? parsed : {}) as GenerateContentRequestBody,
    headers: recordHeaders(req),
  };
  return { request, url, routed: match !== null, parsed, json };
}
