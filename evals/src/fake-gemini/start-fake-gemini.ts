import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerRequest, type FakeGeminiState } from './answer-request.ts';
import { internalError, sendError } from './google-errors.ts';
import type { RecordedRequest, Responder, ScriptedTurn } from './script.ts';
import { TurnSource } from './script.ts';
import { SignatureLedger } from './thought-signatures.ts';

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

/**
 * Starts a fake Gemini Developer API on 127.0.0.1 that speaks the real REST wire protocol, so the
 * real `@google/genai` SDK runs against it: `POST /{v1beta|v1}/models/{model}:generateContent`
 * and `:streamGenerateContent?alt=sse`. It validates requests where Gemini bites (roles, empty
 * contents, OpenAPI-subset `parameters`, thought signatures, functionResponse pairing) with
 * Google's 400 envelope, and answers the scripted turns in Gemini's response shapes.
 */
export async function startFakeGemini(options: FakeGeminiOptions = {}): Promise<FakeGemini> {
  const turns = new TurnSource(options.script);
  const state: FakeGeminiState = {
    apiKey: options.apiKey,
    latencyMs: options.latencyMs ?? 0,
    requests: [],
    turns,
    ledger: new SignatureLedger(),
    answered: 0,
  };
  const server = createServer((req, res) => {
    const gone = new AbortController();
    res.once('close', () => gone.abort());
    answerRequest(state, req, res, gone.signal).catch((error: unknown) => {
      // A fault of the fake itself (or a client that vanished mid-body): never a hang.
      if (res.headersSent) return void res.destroy();
      const reason = error instanceof Error ? error.message : String(error);
      sendError(res, internalError(`fake-gemini failed: ${reason}`));
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
    requests: state.requests,
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
