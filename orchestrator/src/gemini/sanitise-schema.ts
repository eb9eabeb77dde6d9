import {
  GEMINI_SCHEMA_TYPES,
  isGeminiFormat,
  isGeminiSchemaKeyword,
  isPlainObject,
  schemaTypes,
} from './gemini-schema-subset.ts';

export type JsonSchema = Record<string, unknown>;

/** zod's `.int()` bounds: they tell a model nothing and are still enforced by the server. */
const SAFE_INTEGER_BOUND = Number.MAX_SAFE_INTEGER;

const DEFS_PREFIX = '#/$defs/';
const DEFINITIONS_PREFIX = '#/definitions/';

/**
 * Rewrites a JSON Schema (as MCP's tools/list carries it) into Gemini's documented subset.
 *
 * Every rewrite keeps or loosens what the schema accepts, never narrows it, so no argument the
 * MCP server would take is ruled out; the server still validates every call against the full schema.
 * - `const` → a one-value `enum` (strings and numbers; other constants are dropped);
 * - `oneOf` → `anyOf`; `allOf` → its members merged into one schema;
 * - `exclusiveMinimum`/`exclusiveMaximum` → `minimum`/`maximum` (±1 for integers, the bound itself
 *   for numbers);
 * - `type: [A, B]` (other than `[T, "null"]`, which Gemini documents) → `anyOf` of single types;
 * - tuple `items: [...]` → `prefixItems`; draft-7 `definitions` → `$defs` (and its `$ref`s);
 * - `default` → "Default: …" appended to the description;
 * - `additionalProperties: {}` → `true`;
 * - dropped: JavaScript's safe-integer bounds, `format`s Gemini rejects, `required` and
 *   `propertyOrdering` names that are not properties, unknown `type`s, enum values that are not strings or numbers,
 *   `$ref`s that do not point into `$defs`, and every keyword outside the subset.
 */
export function sanitiseSchema(schema: unknown): JsonSchema {
  const root = isPlainObject(schema) ? schema : {};
  const defs = { ...asRecord(root.definitions), ...asRecord(root.$defs) };
  const out = sanitiseNode(root);
  const defNames = Object.keys(defs);
  if (defNames.length > 0) {
    out.$defs = Object.fromEntries(defNames.map((name) => [name, sanitiseNode(defs[name])]));
  }
  return out;
}

function sanitiseNode(input: unknown): JsonSchema {
  // `true` (and any other non-object) is the "anything" schema; `{}` says the same to Gemini.
  if (!isPlainObject(input)) return {};
  const node = normalise(input);
  const out: JsonSchema = {};
  const types = schemaTypes(node);
  const propertyNames = isPlainObject(node.properties) ? Object.keys(node.properties) : [];
  for (const [key, value] of Object.entries(node)) {
    if (!isGeminiSchemaKeyword(key) || key === '$defs') continue; // $defs live at the root only
    switch (key) {
      case 'type': {
        const known = types.filter((t) => GEMINI_SCHEMA_TYPES.has(t));
        if (known.length > 0) out.type = Array.isArray(value) ? known : known[0];
        break;
      }
      case 'properties':
        out.properties = Object.fromEntries(
          Object.entries(asRecord(value)).map(([name, child]) => [name, sanitiseNode(child)]),
        );
        break;
      case 'items':
        out.items = sanitiseNode(value);
        break;
      case 'prefixItems':
      case 'anyOf':
        if (Array.isArray(value) && value.length > 0) out[key] = value.map(sanitiseNode);
        break;
      case 'additionalProperties':
        if (typeof value === 'boolean') out.additionalProperties = value;
        else if (isPlainObject(value))
          out.additionalProperties = Object.keys(value).length === 0 ? true : sanitiseNode(value);
        break;
      case 'required':
      case 'propertyOrdering': {
        const names = stringsIn(value).filter((name) => propertyNames.includes(name));
        if (names.length > 0) out[key] = [...new Set(names)];
        break;
      }
      case 'enum': {
        const values = Array.isArray(value)
          ? value.filter((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))
          : [];
        if (values.length > 0) out.enum = [...new Set(values)];
        break;
      }
      case 'format':
        if (isGeminiFormat(value, types)) out.format = value;
        break;
      case '$ref': {
        const ref = rewriteRef(value);
        if (ref !== undefined) out.$ref = ref;
        break;
      }
      case 'minimum':
      case 'maximum':
        if (typeof value === 'number' && Math.abs(value) < SAFE_INTEGER_BOUND) out[key] = value;
        break;
      default:
        out[key] = value;
    }
  }
  return out;
}

/** The rewrites that turn unsupported keywords into supported ones, before filtering. */
function normalise(input: Record<string, unknown>): Record<string, unknown> {
  let node: Record<string, unknown> = { ...input };
  if (Array.isArray(node.allOf)) node = mergeAllOf(node);
  if (Array.isArray(node.oneOf) && node.anyOf === undefined) node.anyOf = node.oneOf;
  if ('const' in node && node.enum === undefined) {
    const value = node.const;
    if (typeof value === 'string' || typeof value === 'number') node.enum = [value];
  }
  if (Array.isArray(node.items)) {
    if (node.prefixItems === undefined) node.prefixItems = node.items;
    delete node.items;
  }
  applyExclusiveBound(node, 'exclusiveMinimum', 'minimum', 1);
  applyExclusiveBound(node, 'exclusiveMaximum', 'maximum', -1);
  if (node.default !== undefined) {
    const text = typeof node.description === 'string' ? node.description.trim() : '';
    const hint = `Default: ${JSON.stringify(node.default)}.`;
    node.description = text ? `${text}${/[.!?]$/.test(text) ? '' : '.'} ${hint}` : hint;
  }
  splitTypeArray(node);
  return node;
}

/** `allOf` members merged in: properties and required are unioned, other keys kept first-come. */
function mergeAllOf(node: Record<string, unknown>): Record<string, unknown> {
  const { allOf, ...rest } = node;
  const merged: Record<string, unknown> = { ...rest };
  for (const part of allOf as unknown[]) {
    if (!isPlainObject(part)) continue;
    for (const [key, value] of Object.entries(part)) {
      if (key === 'properties') merged.properties = { ...asRecord(merged.properties), ...asRecord(value) };
      else if (key === 'required')
        merged.required = [...new Set([...stringsIn(merged.required), ...stringsIn(value)])];
      else if (merged[key] === undefined) merged[key] = value;
    }
  }
  return merged;
}

/**
 * Draft 6+ puts the bound in `exclusiveMinimum` itself; draft 4 flags `minimum` with `true`.
 * Integers get the exact inclusive bound; numbers get the bound itself (slightly looser).
 */
function applyExclusiveBound(
  node: Record<string, unknown>,
  exclusiveKey: 'exclusiveMinimum' | 'exclusiveMaximum',
  inclusiveKey: 'minimum' | 'maximum',
  step: 1 | -1,
): void {
  const exclusive = node[exclusiveKey];
  const inclusive = node[inclusiveKey];
  const bound = typeof exclusive === 'number' ? exclusive : exclusive === true ? inclusive : undefined;
  if (typeof bound !== 'number') return;
  const integer = schemaTypes(node).includes('integer') && !schemaTypes(node).includes('number');
  const converted = integer
    ? Number.isInteger(bound)
      ? bound + step
      : step > 0
        ? Math.ceil(bound)
        : Math.floor(bound)
    : bound;
  const tighter =
    typeof inclusive !== 'number' || exclusive === true
      ? converted
      : step > 0
        ? Math.max(inclusive, converted)
        : Math.min(inclusive, converted);
  node[inclusiveKey] = tighter;
}

/** Gemini documents `type: [T, "null"]`; wider type unions become `anyOf` of single types. */
function splitTypeArray(node: Record<string, unknown>): void {
  const types = schemaTypes(node);
  if (!Array.isArray(node.type)) return;
  const unique = [...new Set(types)];
  const nonNull = unique.filter((t) => t !== 'null');
  if (nonNull.length <= 1) {
    node.type = unique.length === 1 ? unique[0] : unique;
    return;
  }
  if (node.anyOf !== undefined) return; // already a union: leave the types to it
  delete node.type;
  node.anyOf = unique.map((type) => ({ type }));
}

function rewriteRef(ref: unknown): string | undefined {
  if (typeof ref !== 'string') return undefined;
  if (ref === '#' || ref.startsWith(DEFS_PREFIX)) return ref;
  if (ref.startsWith(DEFINITIONS_PREFIX)) return `${DEFS_PREFIX}${ref.slice(DEFINITIONS_PREFIX.length)}`;
  return undefined;
}

function asRecord(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

function stringsIn(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
