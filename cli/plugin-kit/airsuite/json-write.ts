import { JsonKind, JsonValue } from "./json-value";

/** Integers print without a fraction up to here, as JavaScript prints them; beyond, f64's own text. */
const LARGEST_EXACT_INTEGER: f64 = 9007199254740991;

function numberText(n: f64): string {
  // JSON has no NaN or Infinity; JSON.stringify writes them as null, and so does this.
  if (!isFinite(n)) return "null";
  if (n == Math.floor(n) && Math.abs(n) <= LARGEST_EXACT_INTEGER) return (<i64>n).toString();
  // AssemblyScript writes a whole f64 as "1234.0"; JavaScript, and so JSON's readers, without.
  const text = n.toString();
  return text.endsWith(".0") ? text.substring(0, text.length - 2) : text;
}

function hex4(c: i32): string {
  const digits = c.toString(16);
  return "\\u" + "0000".substring(digits.length) + digits;
}

function escapeOf(c: i32): string {
  if (c == 0x22) return '\\"';
  if (c == 0x5c) return "\\\\";
  if (c == 0x0a) return "\\n";
  if (c == 0x0d) return "\\r";
  if (c == 0x09) return "\\t";
  if (c == 0x08) return "\\b";
  if (c == 0x0c) return "\\f";
  return hex4(c);
}

/**
 * A string literal. Non-ASCII text stays as it is (the output is UTF-8); a lone surrogate,
 * which UTF-8 cannot carry, is written as its \u escape so it survives the trip.
 */
function writeString(s: string, parts: string[]): void {
  parts.push('"');
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const low = s.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        i++;
        continue;
      }
    }
    const lone = c >= 0xd800 && c <= 0xdfff;
    if (c >= 0x20 && c != 0x22 && c != 0x5c && !lone) continue;
    if (i > start) parts.push(s.substring(start, i));
    parts.push(escapeOf(c));
    start = i + 1;
  }
  if (start < s.length) parts.push(s.substring(start));
  parts.push('"');
}

function write(value: JsonValue, parts: string[]): void {
  if (value.kind == JsonKind.Null) parts.push("null");
  else if (value.kind == JsonKind.Bool) parts.push(value.asBool() ? "true" : "false");
  else if (value.kind == JsonKind.Number) parts.push(numberText(value.asNumber()));
  else if (value.kind == JsonKind.String) writeString(value.asString(), parts);
  else if (value.kind == JsonKind.Array) {
    const items = value.asArray();
    parts.push("[");
    for (let i = 0; i < items.length; i++) {
      if (i > 0) parts.push(",");
      write(items[i], parts);
    }
    parts.push("]");
  } else {
    const keys = value.keys();
    parts.push("{");
    for (let i = 0; i < keys.length; i++) {
      if (i > 0) parts.push(",");
      writeString(keys[i], parts);
      parts.push(":");
      write(value.get(keys[i]), parts);
    }
    parts.push("}");
  }
}

/** Compact JSON text, parts joined once at the end so long outputs cost linear time. */
export function stringifyJson(value: JsonValue): string {
  const parts: string[] = [];
  write(value, parts);
  return parts.join("");
}
