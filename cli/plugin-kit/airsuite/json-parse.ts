import { Json, JsonValue } from "./json-value";

/** Deeper nesting is refused rather than risking the Wasm stack. */
const MAX_DEPTH = 200;

export class ParsedJson {
  constructor(
    public value: JsonValue,
    public error: string | null,
  ) {}
}

function isDigit(c: i32): bool {
  return c >= 0x30 && c <= 0x39;
}

function hexDigit(c: i32): i32 {
  if (isDigit(c)) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/**
 * RFC 8259 JSON over AssemblyScript's UTF-16 strings, so text decoded from UTF-8 input keeps
 * every character, and \u escapes (surrogate pairs included) become the same code units.
 * The first problem stops the parse; its message names the character position.
 */
class Parser {
  pos: i32 = 0;
  error: string | null = null;

  constructor(private text: string) {}

  fail(what: string): JsonValue {
    if (this.error == null) this.error = what + " at character " + this.pos.toString();
    return Json.nil();
  }

  peek(): i32 {
    return this.pos < this.text.length ? this.text.charCodeAt(this.pos) : -1;
  }

  skipSpace(): void {
    for (let c = this.peek(); c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d; c = this.peek()) this.pos++;
  }

  word(expected: string): bool {
    if (this.text.substring(this.pos, this.pos + expected.length) != expected) return false;
    this.pos += expected.length;
    return true;
  }

  value(depth: i32): JsonValue {
    if (depth >= MAX_DEPTH) return this.fail("nested deeper than " + MAX_DEPTH.toString() + " levels");
    this.skipSpace();
    const c = this.peek();
    if (c == 0x7b) return this.object(depth);
    if (c == 0x5b) return this.array(depth);
    if (c == 0x22) {
      const text = this.string();
      return this.error == null ? Json.string(text) : Json.nil();
    }
    if (c == 0x2d || isDigit(c)) return this.number();
    if (this.word("true")) return Json.bool(true);
    if (this.word("false")) return Json.bool(false);
    if (this.word("null")) return Json.nil();
    return this.fail(c < 0 ? "unexpected end" : "unexpected character");
  }

  object(depth: i32): JsonValue {
    const made = Json.object();
    this.pos++;
    this.skipSpace();
    let more = this.peek() != 0x7d;
    while (more) {
      this.skipSpace();
      if (this.peek() != 0x22) return this.fail("expected a field name");
      const key = this.string();
      this.skipSpace();
      if (this.error != null || this.peek() != 0x3a) return this.fail("expected ':'");
      this.pos++;
      const item = this.value(depth + 1);
      if (this.error != null) return Json.nil();
      made.set(key, item);
      this.skipSpace();
      more = this.peek() == 0x2c;
      if (more) this.pos++;
    }
    if (this.peek() != 0x7d) return this.fail("expected ',' or '}'");
    this.pos++;
    return made;
  }

  array(depth: i32): JsonValue {
    const made = Json.array();
    this.pos++;
    this.skipSpace();
    let more = this.peek() != 0x5d;
    while (more) {
      const item = this.value(depth + 1);
      if (this.error != null) return Json.nil();
      made.push(item);
      this.skipSpace();
      more = this.peek() == 0x2c;
      if (more) this.pos++;
    }
    if (this.peek() != 0x5d) return this.fail("expected ',' or ']'");
    this.pos++;
    return made;
  }

  /** A string from its opening quote; runs without escapes are copied whole. */
  string(): string {
    const text = this.text;
    const parts: string[] = [];
    this.pos++;
    let start = this.pos;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c == 0x22) {
        parts.push(text.substring(start, this.pos));
        this.pos++;
        return parts.join("");
      }
      if (c < 0x20) {
        this.fail("control character in a string");
        return "";
      }
      if (c == 0x5c) {
        parts.push(text.substring(start, this.pos));
        parts.push(this.escape());
        if (this.error != null) return "";
        start = this.pos;
      } else {
        this.pos++;
      }
    }
    this.fail("unterminated string");
    return "";
  }

  escape(): string {
    this.pos++;
    const c = this.peek();
    this.pos++;
    if (c == 0x22) return '"';
    if (c == 0x5c) return "\\";
    if (c == 0x2f) return "/";
    if (c == 0x62) return "\b";
    if (c == 0x66) return "\f";
    if (c == 0x6e) return "\n";
    if (c == 0x72) return "\r";
    if (c == 0x74) return "\t";
    if (c != 0x75) {
      this.pos--;
      this.fail("unknown escape");
      return "";
    }
    let code = 0;
    for (let i = 0; i < 4; i++) {
      const digit = hexDigit(this.peek());
      if (digit < 0) {
        this.fail("\\u takes four hex digits");
        return "";
      }
      code = code * 16 + digit;
      this.pos++;
    }
    return String.fromCharCode(code);
  }

  digits(): bool {
    const start = this.pos;
    while (isDigit(this.peek())) this.pos++;
    return this.pos > start;
  }

  number(): JsonValue {
    const start = this.pos;
    if (this.peek() == 0x2d) this.pos++;
    if (this.peek() == 0x30) this.pos++;
    else if (!this.digits()) return this.fail("expected a digit");
    if (this.peek() == 0x2e) {
      this.pos++;
      if (!this.digits()) return this.fail("expected a digit after '.'");
    }
    const e = this.peek();
    if (e == 0x65 || e == 0x45) {
      this.pos++;
      const sign = this.peek();
      if (sign == 0x2b || sign == 0x2d) this.pos++;
      if (!this.digits()) return this.fail("expected a digit in the exponent");
    }
    return Json.number(parseFloat(this.text.substring(start, this.pos)));
  }
}

/** Parses JSON text: its value, or the first problem found. */
export function parseJson(text: string): ParsedJson {
  const parser = new Parser(text);
  const value = parser.value(0);
  parser.skipSpace();
  if (parser.error == null && parser.pos < text.length) parser.fail("unexpected text after the value");
  return new ParsedJson(parser.error == null ? value : Json.nil(), parser.error);
}
