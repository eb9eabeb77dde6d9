/**
 * The slice of Gemini's REST wire format (`generativelanguage.googleapis.com`, v1beta/v1) the
 * fake speaks. Declared here rather than imported from `@google/genai` so the fake states what
 * travels on the wire, independently of the SDK under test.
 */

export interface WireFunctionCall {
  name: string;
  args?: Record<string, unknown>;
  id?: string;
}

export interface WireFunctionResponse {
  name: string;
  response: Record<string, unknown>;
  id?: string;
}

export interface WirePart {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  functionCall?: WireFunctionCall;
  functionResponse?: WireFunctionResponse;
  [field: string]: unknown;
}

export interface WireContent {
  role?: string;
  parts: WirePart[];
}

export interface WireFunctionDeclaration {
  name: string;
  description?: string;
  /** OpenAPI-subset `Schema`: unknown keywords are rejected. */
  parameters?: Record<string, unknown>;
  /** Plain JSON Schema. */
  parametersJsonSchema?: unknown;
  [field: string]: unknown;
}

export interface WireTool {
  functionDeclarations?: WireFunctionDeclaration[];
  [field: string]: unknown;
}

/** The body of `:generateContent` / `:streamGenerateContent` as `@google/genai` sends it. */
export interface GenerateContentRequestBody {
  contents: WireContent[];
  tools?: WireTool[];
  toolConfig?: Record<string, unknown>;
  systemInstruction?: WireContent;
  generationConfig?: Record<string, unknown>;
  [field: string]: unknown;
}

/** Gemini's `usageMetadata`. */
export interface Usage {
  promptTokenCount: number;
  candidatesTokenCount: number;
  thoughtsTokenCount: number;
  totalTokenCount: number;
}

export interface WireCandidate {
  content: { role: 'model'; parts: WirePart[] };
  finishReason?: 'STOP';
  index: 0;
}

export interface GenerateContentResponseBody {
  candidates: WireCandidate[];
  usageMetadata?: Usage;
  modelVersion: string;
  responseId: string;
}

/** `google.rpc.Status` as Google's JSON APIs put it under `error`. */
export interface GoogleRpcError {
  /** The HTTP status: 400, 403, 404, 429, 500, 503… */
  code: number;
  /** The canonical code: INVALID_ARGUMENT, PERMISSION_DENIED, NOT_FOUND, RESOURCE_EXHAUSTED… */
  status: string;
  message: string;
  details?: Record<string, unknown>[];
}

/** Google's error envelope: `{"error":{"code":…,"message":…,"status":…,"details":[…]}}`. */
export function errorEnvelope(error: GoogleRpcError): { error: GoogleRpcError } {
  const { code, message, status, details } = error;
  return { error: { code, message, status, ...(details ? { details } : {}) } };
}

/** A 400 INVALID_ARGUMENT, the answer to every malformed request. */
export function invalidArgument(message: string, details?: Record<string, unknown>[]): GoogleRpcError {
  return { code: 400, status: 'INVALID_ARGUMENT', message, ...(details ? { details } : {}) };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
