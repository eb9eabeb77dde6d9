import type { SignatureLedger } from './thought-signatures.ts';
import { validateTools } from './validate-tools.ts';
import { type GoogleRpcError, invalidArgument, isRecord } from './wire.ts';

const ROLES = new Set(['user', 'model']);

const COUNT_MISMATCH =
  'Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.';

function partsOf(content: Record<string, unknown>): Record<string, unknown>[] {
  return (content.parts as unknown[]).filter(isRecord);
}

/** The shape of each content and part, as the API's proto parsing enforces it. */
function validateContent(content: unknown, index: number): GoogleRpcError | undefined {
  const at = `contents[${index}]`;
  if (!isRecord(content)) return invalidArgument(`Invalid value at '${at}': expected a Content object.`);
  if (content.role !== undefined && !ROLES.has(content.role as string)) {
    return invalidArgument(`Please use a valid role: user, model.`);
  }
  if (!Array.isArray(content.parts) || content.parts.length === 0) {
    return invalidArgument(`* GenerateContentRequest.${at}.parts: contents.parts must not be empty.`);
  }
  for (const [position, part] of content.parts.entries()) {
    const partAt = `${at}.parts[${position}]`;
    if (!isRecord(part)) return invalidArgument(`Invalid value at '${partAt}': expected a Part object.`);
    const { functionCall, functionResponse } = part;
    if (functionCall !== undefined) {
      if (!isRecord(functionCall) || typeof functionCall.name !== 'string' || functionCall.name === '') {
        return invalidArgument(
          `* GenerateContentRequest.${partAt}.function_call.name: Name cannot be empty.`,
        );
      }
      if (functionCall.args !== undefined && !isRecord(functionCall.args)) {
        return invalidArgument(
          `Invalid value at '${partAt}.function_call.args' (type.googleapis.com/google.protobuf.Struct)`,
        );
      }
    }
    if (functionResponse !== undefined) {
      if (
        !isRecord(functionResponse) ||
        typeof functionResponse.name !== 'string' ||
        functionResponse.name === ''
      ) {
        return invalidArgument(
          `* GenerateContentRequest.${partAt}.function_response.name: Name cannot be empty.`,
        );
      }
      if (!isRecord(functionResponse.response)) {
        return invalidArgument(
          `Invalid value at '${partAt}.function_response.response' (type.googleapis.com/google.protobuf.Struct)`,
        );
      }
    }
  }
  return undefined;
}

function sameMultiset(left: string[], right: string[]): boolean {
  const a = [...left].sort();
  const b = [...right].sort();
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

/**
 * A model turn with N functionCall parts must be followed by one user turn with exactly N
 * functionResponse parts, with the same names (and the same ids when the calls had ids); a
 * functionResponse turn must follow a function call turn.
 */
function validatePairing(contents: Record<string, unknown>[]): GoogleRpcError | undefined {
  for (const [index, content] of contents.entries()) {
    const parts = partsOf(content);
    const responses = parts.filter((part) => isRecord(part.functionResponse));
    if (responses.length > 0) {
      const previous = contents[index - 1];
      const previousCalls = previous ? partsOf(previous).filter((part) => isRecord(part.functionCall)) : [];
      if (previous?.role !== 'model' || previousCalls.length === 0) {
        return invalidArgument(
          'Please ensure that function response turn comes immediately after a function call turn.',
        );
      }
    }
    if (content.role !== 'model') continue;
    const calls = parts
      .filter((part) => isRecord(part.functionCall))
      .map((part) => part.functionCall as Record<string, unknown>);
    const next = contents[index + 1];
    if (calls.length === 0 || next === undefined) continue;
    const answers = partsOf(next)
      .filter((part) => isRecord(part.functionResponse))
      .map((part) => part.functionResponse as Record<string, unknown>);
    if (next.role === 'model' || answers.length !== calls.length) return invalidArgument(COUNT_MISMATCH);
    if (
      !sameMultiset(
        calls.map((call) => String(call.name)),
        answers.map((answer) => String(answer.name)),
      )
    ) {
      return invalidArgument(
        `Please ensure that the function response names in contents[${index + 1}] match the function call names of the function call turn.`,
      );
    }
    const callIds = calls.filter((call) => typeof call.id === 'string').map((call) => String(call.id));
    const answerIds = answers
      .filter((answer) => typeof answer.id === 'string')
      .map((answer) => String(answer.id));
    if (callIds.length > 0 && !callIds.every((id) => answerIds.includes(id))) {
      return invalidArgument(
        `Please ensure that every function call id of contents[${index}] has a function response with the same id.`,
      );
    }
  }
  return undefined;
}

/**
 * Validates a parsed `generateContent` body like Gemini where it matters to our tests. Returns
 * the 400 INVALID_ARGUMENT to answer with, or undefined when the request is acceptable.
 */
export function validateRequest(body: unknown, ledger: SignatureLedger): GoogleRpcError | undefined {
  if (!isRecord(body)) return invalidArgument('Invalid JSON payload received. Expected an object.');
  const { contents } = body;
  if (!Array.isArray(contents) || contents.length === 0) {
    return invalidArgument('* GenerateContentRequest.contents: contents is not specified');
  }
  for (const [index, content] of contents.entries()) {
    const error = validateContent(content, index);
    if (error) return error;
  }
  const checked = contents as Record<string, unknown>[];
  for (const [index, content] of checked.entries()) {
    if (content.role !== 'model') continue;
    const error = ledger.check(content.parts as unknown[], index);
    if (error) return error;
  }
  return validatePairing(checked) ?? validateTools(body.tools);
}
