/**
 * The JSON Schema subset Gemini documents for `parametersJsonSchema` / `responseJsonSchema`.
 *
 * Source: Gemini API docs, "Structured output", section "JSON Schema support"
 * (https://ai.google.dev/gemini-api/docs/structured-output); read here through the keyword
 * profile transcribed from that page (https://jsonschemaprofiles.unitvectorylabs.com/schemas/gemini)
 * and Google's announcement of JSON Schema support (Google Developers Blog, Nov 2025: "anyOf …,
 * $ref …, minimum and maximum …, additionalProperties and type: 'null', prefixItems"):
 * - types: string, number, integer, boolean, object, array, null (nullable = `type: [T, "null"]`);
 * - any type: title, description;
 * - object: properties, required, additionalProperties, propertyOrdering (Gemini's ordering hint);
 * - string: enum, format; number/integer: enum, format, minimum, maximum;
 * - array: items, prefixItems, minItems, maxItems;
 * - anyOf for unions; $ref (into $defs) for shared and recursive schemas.
 * Everything else (pattern, minLength, maxLength, default, const, oneOf, allOf, not, propertyNames,
 * exclusive bounds, examples, $schema, $id, $comment, …) is outside the documented subset.
 */
export const GEMINI_SCHEMA_KEYWORDS = [
  'type',
  'title',
  'description',
  'enum',
  'format',
  'minimum',
  'maximum',
  'items',
  'prefixItems',
  'minItems',
  'maxItems',
  'properties',
  'required',
  'additionalProperties',
  'propertyOrdering',
  'anyOf',
  '$ref',
  '$defs',
] as const;

export type GeminiSchemaKeyword = (typeof GEMINI_SCHEMA_KEYWORDS)[number];

const KEYWORDS: ReadonlySet<string> = new Set(GEMINI_SCHEMA_KEYWORDS);

export const GEMINI_SCHEMA_TYPES: ReadonlySet<string> = new Set([
  'string',
  'number',
  'integer',
  'boolean',
  'object',
  'array',
  'null',
]);

/**
 * `format` values per type. Google's Schema reference lists float/double for numbers and
 * int32/int64 for integers (https://cloud.google.com/vertex-ai/generative-ai/docs/reference/rest/v1/Schema);
 * for strings the Developer API accepts only "enum" and "date-time", "otherwise requests will fail"
 * (Firebase AI `Schema.format`, https://reference.rnfirebase.io/_react-native-firebase/ai/SchemaInterface.html).
 * `enum` is an OpenAPI-Schema idiom a JSON Schema never needs, so it is left out.
 */
export const GEMINI_FORMATS: Readonly<Record<string, readonly string[]>> = {
  string: ['date-time'],
  integer: ['int32', 'int64'],
  number: ['float', 'double'],
};

export function isGeminiSchemaKeyword(key: string): key is GeminiSchemaKeyword {
  return KEYWORDS.has(key);
}

/** Whether `format` may stand on a schema of these types (any type when the types are unknown). */
export function isGeminiFormat(format: unknown, types: readonly string[]): boolean {
  if (typeof format !== 'string') return false;
  const candidates = types.length > 0 ? types : Object.keys(GEMINI_FORMATS);
  return candidates.some((type) => GEMINI_FORMATS[type]?.includes(format) ?? false);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function schemaTypes(schema: Record<string, unknown>): string[] {
  const { type } = schema;
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [];
}

/**
 * JSON-Pointer paths of everything in `schema` outside Gemini's documented subset: keywords not in
 * {@link GEMINI_SCHEMA_KEYWORDS}, `type` values outside the documented types, and `format` values
 * Gemini does not accept for the schema's type. Property names are data, not keywords, and are
 * never reported.
 */
export function findUnsupportedKeywords(schema: unknown, path = ''): string[] {
  if (typeof schema === 'boolean') return [];
  if (!isPlainObject(schema)) return [path || '/'];
  const found: string[] = [];
  const types = schemaTypes(schema);
  for (const [key, value] of Object.entries(schema)) {
    const here = `${path}/${escapePointer(key)}`;
    if (!isGeminiSchemaKeyword(key)) {
      found.push(here);
      continue;
    }
    switch (key) {
      case 'type':
        if (!types.every((t) => GEMINI_SCHEMA_TYPES.has(t)) || types.length === 0) found.push(here);
        break;
      case 'format':
        if (!isGeminiFormat(value, types)) found.push(here);
        break;
      case 'properties':
      case '$defs':
        if (!isPlainObject(value)) found.push(here);
        else
          for (const [name, child] of Object.entries(value))
            found.push(...findUnsupportedKeywords(child, `${here}/${escapePointer(name)}`));
        break;
      case 'anyOf':
      case 'prefixItems':
        if (!Array.isArray(value)) found.push(here);
        else
          for (const [index, child] of value.entries())
            found.push(...findUnsupportedKeywords(child, `${here}/${index}`));
        break;
      case 'items':
      case 'additionalProperties':
        found.push(...findUnsupportedKeywords(value, here));
        break;
      default:
        break;
    }
  }
  return found;
}

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}
