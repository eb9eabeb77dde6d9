import type { FunctionCallTurn, TextTurn } from './script.ts';
import type { SignatureLedger } from './thought-signatures.ts';
import { buildUsage } from './usage.ts';
import type { GenerateContentRequestBody, GenerateContentResponseBody, Usage, WirePart } from './wire.ts';

/** A text or function-call turn, as Gemini would send it whole and streamed. */
export interface RenderedTurn {
  /** The model turn's parts in a non-streamed response (text joined into one part). */
  parts: WirePart[];
  /** The parts of each streamed event, in order: text piece by piece, function calls whole. */
  chunks: WirePart[][];
  usage: Usage;
}

/** Splits at word starts, keeping the spaces, so the pieces concatenate back to `text`. */
export function splitIntoWords(text: string): string[] {
  const words = text.split(/(?<=\s)(?=\S)/);
  return words.length > 0 ? words : [text];
}

/** The streamed pieces of a scripted text; never none, since the last event carries finishReason. */
function textChunks(text: string | string[]): string[] {
  if (!Array.isArray(text)) return splitIntoWords(text);
  return text.length > 0 ? text : [''];
}

/**
 * Renders a scripted turn into Gemini parts. Function calls get their thought signature on the
 * first functionCall part (minted unless scripted, none when `false`), recorded in `ledger` so a
 * later request must echo it.
 */
export function renderTurn(
  turn: TextTurn | FunctionCallTurn,
  body: GenerateContentRequestBody,
  ledger: SignatureLedger,
): RenderedTurn {
  if ('functionCalls' in turn) {
    const callParts: WirePart[] = turn.functionCalls.map((call, index) => {
      const functionCall = {
        name: call.name,
        args: call.args,
        ...(call.id === undefined ? {} : { id: call.id }),
      };
      if (index > 0 || turn.thoughtSignature === false) return { functionCall };
      return { functionCall, thoughtSignature: ledger.issue(functionCall, turn.thoughtSignature) };
    });
    const textParts: WirePart[] = turn.text === undefined ? [] : [{ text: turn.text }];
    const parts = [...textParts, ...callParts];
    const chunks = [
      ...(turn.text === undefined ? [] : textChunks(turn.text).map((text) => [{ text }])),
      callParts,
    ];
    return { parts, chunks, usage: buildUsage(body, parts, turn.usage) };
  }
  const pieces = textChunks(turn.text);
  const signature = turn.thoughtSignature === undefined ? {} : { thoughtSignature: turn.thoughtSignature };
  const parts: WirePart[] = [{ text: pieces.join(''), ...signature }];
  const chunks = pieces.map((text, index): WirePart[] => [
    index === pieces.length - 1 ? { text, ...signature } : { text },
  ]);
  return { parts, chunks, usage: buildUsage(body, parts, turn.usage) };
}

export interface ResponseMeta {
  modelVersion: string;
  responseId: string;
}

/** One `GenerateContentResponse`; the final one carries `finishReason` and `usageMetadata`. */
export function responseBody(
  parts: WirePart[],
  meta: ResponseMeta,
  final?: { usage: Usage },
): GenerateContentResponseBody {
  return {
    candidates: [
      { content: { role: 'model', parts }, ...(final ? { finishReason: 'STOP' as const } : {}), index: 0 },
    ],
    ...(final ? { usageMetadata: final.usage } : {}),
    modelVersion: meta.modelVersion,
    responseId: meta.responseId,
  };
}
