import type { GenerateContentRequestBody, GoogleRpcError, Usage } from './wire.ts';

/** One request as the fake received it. */
export interface RecordedRequest {
  /** The request target as sent, e.g. `/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`. */
  path: string;
  /** The model id from the path (`gemini-2.5-flash`); `''` when the path was not a Gemini route. */
  model: string;
  /** True for `:streamGenerateContent`. */
  stream: boolean;
  /**
   * The parsed JSON body (`{}` when it was not JSON). Its shape is only guaranteed for requests
   * the fake accepted, which are the only ones a {@link Responder} sees.
   */
  body: GenerateContentRequestBody;
  /** Lower-cased header names; `x-goog-api-key` and `authorization` are `[REDACTED]`. */
  headers: Record<string, string>;
}

export interface ScriptedFunctionCall {
  name: string;
  args: Record<string, unknown>;
  /** Sent as `functionCall.id` (the Developer API usually sends none). */
  id?: string;
}

/** A turn of plain text. */
export interface TextTurn {
  /** One string (streamed word by word) or the exact chunks to stream; joined when not streamed. */
  text: string | string[];
  usage?: Partial<Usage>;
  /** Attached to the last text part, as Gemini 3 does for text answers. */
  thoughtSignature?: string;
}

/** A turn of one or more (parallel) function calls, optionally preceded by text. */
export interface FunctionCallTurn {
  functionCalls: ScriptedFunctionCall[];
  /**
   * Attached to the first functionCall part, as Gemini does. By default the fake generates one
   * (thinking models always send one); `false` sends none. The fake then requires it back,
   * verbatim, whenever this call is in a later request's history.
   */
  thoughtSignature?: string | false;
  text?: string;
  usage?: Partial<Usage>;
}

/** An HTTP error with Google's envelope; 429 with `retryAfterSeconds` carries RetryInfo. */
export interface ErrorTurn {
  error: GoogleRpcError;
  retryAfterSeconds?: number;
}

/**
 * A stream that fails after it started: `textBefore`, then an `{"error":…}` event, then the end.
 * A non-streaming request gets the error as a plain HTTP error.
 */
export interface MidStreamErrorTurn {
  errorMidStream: GoogleRpcError;
  textBefore?: string;
}

/** Never answers: the request stays open until the client aborts (or the fake closes). */
export interface HangTurn {
  hang: true;
}

export type ScriptedTurn = TextTurn | FunctionCallTurn | ErrorTurn | MidStreamErrorTurn | HangTurn;

/** Computes the turn that answers a request, e.g. from its last functionResponse. */
export type Responder = (request: RecordedRequest) => ScriptedTurn | Promise<ScriptedTurn>;

/**
 * Where turns come from: queued turns first, in order; once the queue is empty, the responder;
 * with neither, nothing (the fake answers 500 so the test fails loudly instead of hanging).
 */
export class TurnSource {
  private readonly queue: ScriptedTurn[] = [];
  private responder: Responder | undefined;

  constructor(script?: ScriptedTurn[] | Responder) {
    if (typeof script === 'function') this.responder = script;
    else if (script) this.queue.push(...script);
  }

  enqueue(turns: ScriptedTurn[]): void {
    this.queue.push(...turns);
  }

  respondWith(responder: Responder): void {
    this.responder = responder;
  }

  remaining(): number {
    return this.queue.length;
  }

  /** The next turn, or undefined when the script is exhausted. */
  async next(request: RecordedRequest): Promise<ScriptedTurn | undefined> {
    const queued = this.queue.shift();
    if (queued) return queued;
    return this.responder ? await this.responder(request) : undefined;
  }
}
