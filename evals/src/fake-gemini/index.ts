/**
 * A fake Gemini Developer API speaking the real REST wire protocol, for running the real
 * `@google/genai` SDK in tests and evals. Any new export here becomes public API.
 */
export { lastFunctionResponses } from './last-function-responses.ts';
export type {
  ErrorTurn,
  FunctionCallTurn,
  HangTurn,
  MidStreamErrorTurn,
  RecordedRequest,
  Responder,
  ScriptedFunctionCall,
  ScriptedTurn,
  TextTurn,
} from './script.ts';
export { type FakeGemini, type FakeGeminiOptions, startFakeGemini } from './start-fake-gemini.ts';
export { estimatePromptTokens } from './usage.ts';
export type {
  GenerateContentRequestBody,
  GoogleRpcError,
  Usage,
  WireContent,
  WireFunctionCall,
  WireFunctionResponse,
  WirePart,
} from './wire.ts';
