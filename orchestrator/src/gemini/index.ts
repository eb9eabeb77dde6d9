export { findUnsupportedKeywords, GEMINI_SCHEMA_KEYWORDS } from './gemini-schema-subset.ts';
export {
  GEMINI_DECLARATION_ERROR_CODES,
  GeminiDeclarationError,
  type GeminiDeclarationErrorCode,
  type McpTool,
  toFunctionDeclarations,
} from './tool-declarations.ts';
