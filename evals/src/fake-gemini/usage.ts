import type { GenerateContentRequestBody, Usage, WirePart } from './wire.ts';

/** Characters per token in the fake's estimates (roughly Gemini's ratio for English). */
const CHARS_PER_TOKEN = 4;

function tokensOf(value: unknown): number {
  return value === undefined ? 0 : Math.ceil(JSON.stringify(value).length / CHARS_PER_TOKEN);
}

/**
 * The fake's `promptTokenCount`: deterministic and monotonic in what was sent, so a test can
 * check that windowing bounds the tokens of each request. It is
 * `ceil(len(JSON(contents)) / 4) + ceil(len(JSON(tools)) / 4) + ceil(len(JSON(systemInstruction)) / 4)`,
 * absent fields counting 0.
 */
export function estimatePromptTokens(
  body: Pick<GenerateContentRequestBody, 'contents' | 'tools' | 'systemInstruction'>,
): number {
  return tokensOf(body.contents) + tokensOf(body.tools) + tokensOf(body.systemInstruction);
}

/** `candidatesTokenCount`: ceil(characters of text plus JSON of function calls / 4). */
export function estimateOutputTokens(parts: WirePart[]): number {
  let chars = 0;
  for (const part of parts) {
    if (part.text !== undefined) chars += part.text.length;
    if (part.functionCall) chars += JSON.stringify(part.functionCall).length;
  }
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

/** The turn's `usageMetadata`: scripted fields win; the total adds up unless scripted too. */
export function buildUsage(
  body: GenerateContentRequestBody,
  parts: WirePart[],
  scripted: Partial<Usage> | undefined,
): Usage {
  const promptTokenCount = scripted?.promptTokenCount ?? estimatePromptTokens(body);
  const candidatesTokenCount = scripted?.candidatesTokenCount ?? estimateOutputTokens(parts);
  const thoughtsTokenCount = scripted?.thoughtsTokenCount ?? 0;
  return {
    promptTokenCount,
    candidatesTokenCount,
    thoughtsTokenCount,
    totalTokenCount:
      scripted?.totalTokenCount ?? promptTokenCount + candidatesTokenCount + thoughtsTokenCount,
  };
}
