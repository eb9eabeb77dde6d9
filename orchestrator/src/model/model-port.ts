import type { Content, FunctionDeclaration } from '@google/genai';

/** Tokens a model turn cost, from Gemini's `usageMetadata`. */
export interface TurnUsage {
  promptTokens: number;
  outputTokens: number;
  thoughtsTokens: number;
  totalTokens: number;
}

export interface FunctionCall {
  /** Gemini's call id when it sent one; echoed in the matching functionResponse. */
  id?: string;
  name: string;
  args: Record<string, unknown>;
}

export interface ModelRequest {
  /** The whole (windowed) history, raw Gemini contents: model turns exactly as received. */
  contents: Content[];
  tools: FunctionDeclaration[];
  systemInstruction: string;
  signal: AbortSignal;
  /** Called with each piece of text as it streams in. */
  onTextDelta?: (delta: string) => void;
}

export interface ModelTurn {
  /** The model's turn verbatim (function calls, text, thought signatures): history keeps it as is. */
  content: Content;
  functionCalls: FunctionCall[];
  text: string;
  usage: TurnUsage;
  finishReason?: string;
}

/** What the chat loop needs of a model; Gemini through `@google/genai` implements it. */
export interface ModelPort {
  readonly model: string;
  generate(request: ModelRequest): Promise<ModelTurn>;
}
