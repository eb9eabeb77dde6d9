import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { renderTurn, responseBody } from './render-turn.ts';
import type { RecordedRequest, Responder, ScriptedTurn } from './script.ts';
import { TurnSource } from './script.ts';
import { SSE_HEADERS, writeSseEvent } from './sse.ts';
import { SignatureLedger } from './thought-signatures.ts';
import { validateRequest } from './validate-request.ts';
import {
  errorEnvelope,
  type GenerateContentRequestBody,
  type GoogleRpcError,
  invalidArgument,
  isRecord,
} from './wire.ts';

export interface FakeGeminiOptions {
  /** Port to listen on (127.0.0.1). Default 0: any free port. */
  port?: number;
  /**
   * When set, a request without `x-goog-api-key` gets 403 PERMISSION_DENIED and one with another
   * key 400 INVALID_ARGUMENT (reason API_KEY_INVALID), as Google answers.
   */
  apiKey?: string;
  /** The turns to answer with, in order, or a responder computing each one from its request. */
  script?: ScriptedTurn[] | Responder;
  /** Delay before each answer and between streamed events. Default 0. */
  latencyMs?: number;
}

export interface FakeGemini {
  /** Base URL for `new GoogleGenAI({ apiKey, httpOptions: { baseUrl: fake.url } })`. */
  url: string;
  /** Every request received, in order, with the API key redacted. */
  requests: RecordedRequest[];
  /** Appends scripted turns; they are used before any responder. */
  enqueue(...turns: ScriptedTurn[]): void;
  /** Computes each turn from its request once the scripted turns are used up. */
  respondWith(responder: Responder): void;
  /** Scripted turns not yet consumed. */
  remaining(): number;
  /** Stops listening and drops every open connection (hanging requests included). */
  close(): Promise<void>;
}

const ROUTE = /^\/(v1beta|v1)\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;
const REDACTED = '[REDACTED]';
const SECRET_HEADERS = new Set(['x-goog-api-key', 'authorization']);
const JSON_HEADERS = { 'content-type': 'application/json; charset=UTF-8' } as const;

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

function sendError(res: ServerResponse, error: GoogleRpcError, retryAfterSeconds?: number): void {
  if (res.headersSent || res.destroyed) return;
  const retry = error.code === 429 && retryAfterSeconds !== undefined;
  const details = retry
    ? [
        ...(error.details ?? []),
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfterSeconds}s` },
      ]
    : error.details;
  res.writeHead(error.code, {
    ...JSON_HEADERS,
    ...(retry ? { 'retry-after': String(retryAfterSeconds) } : {}),
  });
  res.end(JSON.stringify(errorEnvelope({ ...error, ...(details ? { details } : {}) })));
}

/** Google's answers to a missing or wrong API key. */
function authError(sent: string | undefined): GoogleRpcError {
  if (sent === undefined) {
    return {
      code: 403,
      status: 'PERMISSION_DENIED',
      message:
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
    };
  }
  return invalidArgument('API key not valid. Please pass a valid API key.', [
    {
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'API_KEY_INVALID',
      domain: 'googleapis.com',
      metadata: { service: 'generativelanguage.googleapis.com' },
    },
  ]);
}

/** Waits `ms`, or less when `signal` aborts first (the client went away). */
async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return;
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

/**
 * Starts a fake Gemini Developer API on 127.0.0.1 that speaks the real REST wire protocol, so the
 * real `@google/genai` SDK runs against it: `POST /{v1beta|v1}/models/{model}:generateContent`
 * and `:streamGenerateContent?alt=sse`. It validates requests where Gemini bites (roles, empty
 * contents, OpenAPI-subset `parameters`, thought signatures, functionResponse pairing) with
 * Google's 400 envelope, and answers the scripted turns in Gemini's response shapes.
 */
export async function startFakeGemini(options: FakeGeminiOptions = {}): Promise<FakeGemini> {
  const latencyMs = options.latencyMs ?? 0;
  const requests: RecordedRequest[] = [];
  const turns = new TurnSource(options.script);
  const ledger = new SignatureLedger();
  let answered = 0;

  async function answer(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake-gemini');
    const match = req.method === 'POST' ? ROUTE.exec(url.pathname) : null;
    const stream = match?.[3] === 'streamGenerateContent';
    let parsed: unknown;
    let json = true;
    try {
      parsed = JSON.parse(raw);
    } catch {
      json = false;
    }
    const request: RecordedRequest = {
      path: req.url ?? '/',
      model: match?.[2] ? decodeURIComponent(match[2]) : '',
      stream,
      body: (isRecord(parsed) ? parsed : {}) as GenerateContentRequestBody,
      headers: recordHeaders(req),
    };
    requests.push(request);

    if (!match || (stream && url.searchParams.get('alt') !== 'sse')) {
      const hint = stream ? ' (the fake streams only with ?alt=sse)' : '';
      return sendError(res, {
        code: 404,
        status: 'NOT_FOUND',
        message: `fake-gemini: no route for ${req.method} ${url.pathname}${hint}.`,
      });
    }
    const key = req.headers['x-goog-api-key'];
    if (options.apiKey !== undefined && key !== options.apiKey) {
      return sendError(res, authError(typeof key === 'string' ? key : undefined));
    }
    if (!json) return sendError(res, invalidArgument(`Invalid JSON payload received. Unexpected token.`));
    const invalid = validateRequest(parsed, ledger);
    if (invalid) return sendError(res, invalid);

    await pause(latencyMs, signal);
    let turn: ScriptedTurn | undefined;
    try {
      turn = await turns.next(request);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return sendError(res, {
        code: 500,
        status: 'INTERNAL',
        message: `fake-gemini: the responder threw: ${reason}`,
      });
    }
    if (signal.aborted) return;
    if (turn === undefined) {
      return sendError(res, {
        code: 500,
        status: 'INTERNAL',
        message: `fake-gemini: no scripted turn left for request #${requests.length} (${request.path}).`,
      });
    }
    if ('hang' in turn) {
      if (!signal.aborted)
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      return;
    }
    if ('error' in turn) return sendError(res, turn.error, turn.retryAfterSeconds);
    if ('errorMidStream' in turn && !stream) return sendError(res, turn.errorMidStream);

    answered += 1;
    const meta = { modelVersion: request.model, responseId: `fake-gemini-response-${answered}` };
    if ('errorMidStream' in turn) {
      res.writeHead(200, SSE_HEADERS);
      if (turn.textBefore !== undefined) writeSseEvent(res, responseBody([{ text: turn.textBefore }], meta));
      await pause(latencyMs, signal);
      writeSseEvent(res, errorEnvelope(turn.errorMidStream));
      res.end();
      return;
    }
    const rendered = renderTurn(turn, request.body, ledger);
    if (!stream) {
      res.writeHead(200, JSON_HEADERS);
      res.end(JSON.stringify(responseBody(rendered.parts, meta, { usage: rendered.usage })));
      return;
    }
    res.writeHead(200, SSE_HEADERS);
    for (const [index, parts] of rendered.chunks.entries()) {
      if (index > 0) await pause(latencyMs, signal);
      const final = index === rendered.chunks.length - 1 ? { usage: rendered.usage } : undefined;
      if (!writeSseEvent(res, responseBody(parts, meta, final))) return;
    }
    res.end();
  }

  const server = createServer((req, res) => {
    const gone = new AbortController();
    res.once('close', () => gone.abort());
    answer(req, res, gone.signal).catch((error: unknown) => {
      // A fault of the fake itself (or a client that vanished mid-body): never a hang.
      if (res.headersSent) return void res.destroy();
      const reason = error instanceof Error ? error.message : String(error);
      sendError(res, { code: 500, status: 'INTERNAL', message: `fake-gemini failed: ${reason}` });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...scripted) => turns.enqueue(scripted),
    respondWith: (responder) => turns.respondWith(responder),
    remaining: () => turns.remaining(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
