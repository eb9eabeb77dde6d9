import { ApiError, type Content, type GenerateContentResponse, GoogleGenAI, type Part } from '@google/genai';
import { ChatError } from '../loop/errors.ts';
import type { FunctionCall, ModelPort, ModelRequest, ModelTurn, TurnUsage } from './model-port.ts';

export const DEFAULT_GEMINI_MODEL = 'gemini-2.5-flash';

export interface GeminiModelOptions {
  apiKey: string;
  /** GEMINI_MODEL; default gemini-2.5-flash. */
  model?: string;
  /** GEMINI_BASE_URL: proxies, gateways and the fake Gemini of the tests. */
  baseUrl?: string;
  /** Attempts after the first for 429/500/502/503/504 before any text streamed. Default 3. */
  retries?: number;
  /** First backoff; doubled each attempt, with full jitter. Default 1000 ms. */
  backoffMs?: number;
  /** Injected for tests. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const RETRIABLE = new Set([429, 500, 502, 503, 504]);

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Google's 429 says how long to wait (RetryInfo `retryDelay: "12s"`); honour it when present. */
function retryDelayOf(error: ApiError): number | undefined {
  const match = /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/.exec(error.message);
  return match?.[1] ? Number(match[1]) * 1000 : undefined;
}

function toChatError(error: unknown): ChatError {
  if (error instanceof ApiError) {
    if (error.status === 429) {
      return new ChatError(
        'CHAT_MODEL_RATE_LIMITED',
        'Gemini is rate limiting this key; wait a minute and try again',
        {
          status: 429,
        },
      );
    }
    if (error.status >= 500) {
      return new ChatError('CHAT_MODEL_UNAVAILABLE', `Gemini failed (${error.status}); try again shortly`, {
        status: error.status,
      });
    }
    if (error.status === 401 || error.status === 403) {
      return new ChatError('CHAT_MODEL_NOT_CONFIGURED', 'Gemini refused the API key; check GEMINI_API_KEY', {
        status: error.status,
      });
    }
    return new ChatError('CHAT_MODEL_REJECTED', `Gemini rejected the request (${error.status})`, {
      status: error.status,
    });
  }
  return new ChatError('CHAT_MODEL_UNAVAILABLE', 'Gemini could not be reached; try again shortly');
}

function usageOf(metadata: Record<string, number | undefined> | undefined): TurnUsage {
  const promptTokens = metadata?.promptTokenCount ?? 0;
  const outputTokens = metadata?.candidatesTokenCount ?? 0;
  const thoughtsTokens = metadata?.thoughtsTokenCount ?? 0;
  return {
    promptTokens,
    outputTokens: outputTokens + thoughtsTokens,
    thoughtsTokens,
    totalTokens: metadata?.totalTokenCount ?? promptTokens + outputTokens + thoughtsTokens,
  };
}

/**
 * Gemini through Google's `@google/genai`, streamed so text reaches the user as it comes.
 * The model turn is rebuilt from the streamed chunks part by part, keeping every field
 * (thought signatures above all) so history can echo it verbatim.
 */
export function createGeminiModel(options: GeminiModelOptions): ModelPort {
  const model = options.model ?? DEFAULT_GEMINI_MODEL;
  const ai = new GoogleGenAI({
    apiKey: options.apiKey,
    ...(options.baseUrl ? { httpOptions: { baseUrl: options.baseUrl } } : {}),
  });
  const retries = options.retries ?? 3;
  const backoffMs = options.backoffMs ?? 1000;
  const sleep = options.sleep ?? abortableSleep;

  async function once(request: ModelRequest, onText: (delta: string) => void): Promise<ModelTurn> {
    const stream = await ai.models.generateContentStream({
      model,
      contents: request.contents,
      config: {
        systemInstruction: request.systemInstruction,
        ...(request.tools.length > 0 ? { tools: [{ functionDeclarations: request.tools }] } : {}),
        abortSignal: request.signal,
      },
    });
    return turnOf(stream, onText);
  }

  return {
    model,
    async generate(request) {
      let streamed = false;
      const onText = (delta: string) => {
        streamed = true;
        request.onTextDelta?.(delta);
      };
      for (let attempt = 0; ; attempt++) {
        try {
          return await once(request, onText);
        } catch (error) {
          if (request.signal.aborted) throw new ChatError('CHAT_CANCELLED', 'the run was cancelled');
          const retriable = error instanceof ApiError && RETRIABLE.has(error.status);
          // Once text reached the user a retry would repeat it: report instead.
          if (!retriable || streamed || attempt >= retries) throw toChatError(error);
          const hinted = retryDelayOf(error as ApiError);
          const delay = hinted ?? Math.random() * backoffMs * 2 ** attempt;
          await sleep(delay, request.signal).catch(() => {
            throw new ChatError('CHAT_CANCELLED', 'the run was cancelled');
          });
        }
      }
    },
  };
}

/** Adds a streamed part: consecutive plain text chunks are one part; anything else is kept as sent. */
function addPart(parts: Part[], part: Part): void {
  const last = parts.at(-1);
  if (
    part.text !== undefined &&
    !part.thought &&
    last?.text !== undefined &&
    !last.thought &&
    !last.thoughtSignature &&
    !part.thoughtSignature
  ) {
    last.text += part.text;
  } else {
    parts.push({ ...part });
  }
}

/** The model turn a stream of chunks makes, its plain text passed to `onText` as it comes. */
async function turnOf(
  stream: AsyncIterable<GenerateContentResponse>,
  onText: (delta: string) => void,
): Promise<ModelTurn> {
  const parts: Part[] = [];
  let text = '';
  let usage: TurnUsage = usageOf(undefined);
  let finishReason: string | undefined;
  for await (const chunk of stream) {
    const candidate = chunk.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) {
      addPart(parts, part);
      if (part.text !== undefined && !part.thought) {
        text += part.text;
        onText(part.text);
      }
    }
    if (candidate?.finishReason) finishReason = candidate.finishReason;
    if (chunk.usageMetadata) usage = usageOf(chunk.usageMetadata as Record<string, number | undefined>);
  }
  const functionCalls: FunctionCall[] = parts
    .filter((part) => part.functionCall?.name)
    .map((part) => ({
      ...(part.functionCall?.id ? { id: part.functionCall.id } : {}),
      name: part.functionCall?.name ?? '',
      args: (part.functionCall?.args as Record<string, unknown> | undefined) ?? {},
    }));
  const content: Content = { role: 'model', parts };
  return { content, functionCalls, text, usage, ...(finishReason ? { finishReason } : {}) };
}
