import type { IncomingMessage, ServerResponse } from 'node:http';
import { authError, internalError, sendError } from './google-errors.ts';
import { type IncomingRequest, readRequest } from './read-request.ts';
import type { RecordedRequest, ScriptedTurn, TurnSource } from './script.ts';
import type { SignatureLedger } from './thought-signatures.ts';
import { validateRequest } from './validate-request.ts';
import { type GoogleRpcError, invalidArgument } from './wire.ts';
import { pause, writeTurn } from './write-turn.ts';

/** What one fake Gemini keeps across requests. */
export interface FakeGeminiState {
  apiKey: string | undefined;
  latencyMs: number;
  requests: RecordedRequest[];
  turns: TurnSource;
  ledger: SignatureLedger;
  /** Turns answered so far: numbers the response ids. */
  answered: number;
}

/** Why Gemini would refuse the request; checked before any latency or turn is spent on it. */
function refusal(
  state: FakeGeminiState,
  req: IncomingMessage,
  incoming: IncomingRequest,
): GoogleRpcError | undefined {
  const { request, url } = incoming;
  if (!incoming.routed || (request.stream && url.searchParams.get('alt') !== 'sse')) {
    const hint = request.stream ? ' (the fake streams only with ?alt=sse)' : '';
    return {
      code: 404,
      status: 'NOT_FOUND',
      message: `fake-gemini: no route for ${req.method} ${url.pathname}${hint}.`,
    };
  }
  const key = req.headers['x-goog-api-key'];
  if (state.apiKey !== undefined && key !== state.apiKey)
    return authError(typeof key === 'string' ? key : undefined);
  if (!incoming.json) return invalidArgument(`Invalid JSON payload received. Unexpected token.`);
  return validateRequest(incoming.parsed, state.ledger);
}

/** The next scripted turn (undefined once the script is used up), or the 500 for a responder that threw. */
async function nextTurn(
  state: FakeGeminiState,
  request: RecordedRequest,
): Promise<{ turn: ScriptedTurn | undefined } | { threw: GoogleRpcError }> {
  try {
    return { turn: await state.turns.next(request) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { threw: internalError(`fake-gemini: the responder threw: ${reason}`) };
  }
}

/** Records a request, then refuses it as Gemini would or answers it with the next turn. */
export async function answerRequest(
  state: FakeGeminiState,
  req: IncomingMessage,
  res: ServerResponse,
  signal: AbortSignal,
): Promise<void> {
  const incoming = await readRequest(req);
  const { request } = incoming;
  state.requests.push(request);
  const refused = refusal(state, req, incoming);
  if (refused) return sendError(res, refused);

  await pause(state.latencyMs, signal);
  const next = await nextTurn(state, request);
  if ('threw' in next) return sendError(res, next.threw);
  if (signal.aborted) return;
  const { turn } = next;
  if (turn === undefined) {
    const position = `request #${state.requests.length} (${request.path})`;
    return sendError(res, internalError(`fake-gemini: no scripted turn left for ${position}.`));
  }
  if ('hang' in turn) {
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    return;
  }
  if ('error' in turn) return sendError(res, turn.error, turn.retryAfterSeconds);
  if ('errorMidStream' in turn && !request.stream) return sendError(res, turn.errorMidStream);

  state.answered += 1;
  const meta = { modelVersion: request.model, responseId: `fake-gemini-response-${state.answered}` };
  await writeTurn(res, turn, request, meta, state.ledger, { latencyMs: state.latencyMs, signal });
}
