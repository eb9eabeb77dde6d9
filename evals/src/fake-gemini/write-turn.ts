import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { JSON_HEADERS } from './google-errors.ts';
import { type ResponseMeta, renderTurn, responseBody } from './render-turn.ts';
import type { FunctionCallTurn, MidStreamErrorTurn, RecordedRequest, TextTurn } from './script.ts';
import { SSE_HEADERS, writeSseEvent } from './sse.ts';
import type { SignatureLedger } from './thought-signatures.ts';
import { errorEnvelope } from './wire.ts';

/** How one answer is paced, and the signal that says its client went away. */
export interface Pacing {
  latencyMs: number;
  signal: AbortSignal;
}

/** Waits `ms`, or less when `signal` aborts first (the client went away). */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return;
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

/** A stream that starts well and then fails, as Gemini's do: the error comes as an event. */
async function writeMidStreamError(
  res: ServerResponse,
  turn: MidStreamErrorTurn,
  meta: ResponseMeta,
  { latencyMs, signal }: Pacing,
): Promise<void> {
  res.writeHead(200, SSE_HEADERS);
  if (turn.textBefore !== undefined) writeSseEvent(res, responseBody([{ text: turn.textBefore }], meta));
  await pause(latencyMs, signal);
  writeSseEvent(res, errorEnvelope(turn.errorMidStream));
  res.end();
}

/**
 * Writes a streamed request's turn as server-sent events, one per chunk (the last with the
 * usage), or a plain request's as one JSON body. A mid-stream error needs a streamed request.
 */
export async function writeTurn(
  res: ServerResponse,
  turn: TextTurn | FunctionCallTurn | MidStreamErrorTurn,
  request: RecordedRequest,
  meta: ResponseMeta,
  ledger: SignatureLedger,
  pacing: Pacing,
): Promise<void> {
  if ('errorMidStream' in turn) return writeMidStreamError(res, turn, meta, pacing);
  const rendered = renderTurn(turn, request.body, ledger);
  if (!request.stream) {
    res.writeHead(200, JSON_HEADERS);
    res.end(JSON.stringify(responseBody(rendered.parts, meta, { usage: rendered.usage })));
    return;
  }
  res.writeHead(200, SSE_HEADERS);
  for (const [index, parts] of rendered.chunks.entries()) {
    if (index > 0) await pause(pacing.latencyMs, pacing.signal);
    const final = index === rendered.chunks.length - 1 ? { usage: rendered.usage } : undefined;
    if (!writeSseEvent(res, responseBody(parts, meta, final))) return;
  }
  res.end();
}
