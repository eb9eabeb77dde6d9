import { type GoogleRpcError, invalidArgument, isRecord } from './wire.ts';

/**
 * The fields of Gemini's OpenAPI-subset `Schema` (the type of `functionDeclarations[].parameters`;
 * the same list as `Schema` in `@google/genai`). The API parses `parameters` as a protobuf
 * message, so any other key (`additionalProperties`, `$schema`, `const`, `oneOf`,
 * `exclusiveMinimum`…) is an "Unknown name" error.
 */
const SCHEMA_FIELDS = new Set([
  'anyOf',
  'default',
  'description',
  'enum',
  'example',
  'format',
  'items',
  'maxItems',
  'maxLength',
  'maxProperties',
  'maximum',
  'minItems',
  'minLength',
  'minProperties',
  'minimum',
  'nullable',
  'pattern',
  'properties',
  'propertyOrdering',
  'required',
  'title',
  'type',
]);

interface Violation {
  field: string;
  description: string;
}

/** Unknown keys of a `Schema`, with the proto paths Google reports (`properties[0].value`). */
function schemaViolations(schema: unknown, at: string, out: Violation[]): void {
  if (!isRecord(schema)) return;
  for (const [key, value] of Object.entries(schema)) {
    if (!SCHEMA_FIELDS.has(key)) {
      out.push({
        field: at,
        description: `Invalid JSON payload received. Unknown name "${key}" at '${at}': Cannot find field.`,
      });
    } else if (key === 'properties' && isRecord(value)) {
      Object.values(value).forEach((child, index) => {
        schemaViolations(child, `${at}.properties[${index}].value`, out);
      });
    } else if (key === 'items') {
      schemaViolations(value, `${at}.items`, out);
    } else if (key === 'anyOf' && Array.isArray(value)) {
      value.forEach((child, index) => {
        schemaViolations(child, `${at}.any_of[${index}]`, out);
      });
    }
  }
}

/** Paths of `$schema` keys anywhere inside a JSON Schema value. */
function dollarSchemaPaths(value: unknown, at: string, out: Violation[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      dollarSchemaPaths(item, `${at}[${index}]`, out);
    });
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (key === '$schema') {
      out.push({
        field: at,
        description: `Invalid value at '${at}': the "$schema" keyword is not supported in a function's JSON Schema.`,
      });
    } else {
      dollarSchemaPaths(child, `${at}.${key}`, out);
    }
  }
}

/**
 * Checks `tools[].functionDeclarations[]` the way Gemini does where it bites: `parameters` may
 * only use the OpenAPI subset; `parametersJsonSchema` takes JSON Schema but no `$schema`.
 */
export function validateTools(tools: unknown): GoogleRpcError | undefined {
  if (tools === undefined) return undefined;
  if (!Array.isArray(tools)) return invalidArgument(`Invalid value at 'tools': expected a list of Tool.`);
  const violations: Violation[] = [];
  tools.forEach((tool, toolIndex) => {
    if (!isRecord(tool) || tool.functionDeclarations === undefined) return;
    if (!Array.isArray(tool.functionDeclarations)) {
      violations.push({
        field: `tools[${toolIndex}].function_declarations`,
        description: `Invalid value at 'tools[${toolIndex}].function_declarations': expected a list.`,
      });
      return;
    }
    tool.functionDeclarations.forEach((declaration: unknown, index: number) => {
      const at = `tools[${toolIndex}].function_declarations[${index}]`;
      if (!isRecord(declaration) || typeof declaration.name !== 'string' || declaration.name === '') {
        violations.push({
          field: `${at}.name`,
          description: `* GenerateContentRequest.${at}.name: Name cannot be empty.`,
        });
        return;
      }
      schemaViolations(declaration.parameters, `${at}.parameters`, violations);
      dollarSchemaPaths(declaration.parametersJsonSchema, `${at}.parameters_json_schema`, violations);
    });
  });
  if (violations.length === 0) return undefined;
  return invalidArgument(violations.map((violation) => violation.description).join('\n'), [
    { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: violations },
  ]);
}
