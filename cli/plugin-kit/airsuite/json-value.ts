import { parseJson } from "./json-parse";
import { stringifyJson } from "./json-write";

/** What a JSON value is; JsonValue answers every question about it without casts. */
export enum JsonKind {
  Null,
  Bool,
  Number,
  String,
  Array,
  Object,
}

/**
 * One JSON value of any kind. AssemblyScript has no union types, so a value carries its kind
 * and readers take a fallback instead of failing: `input.get("name").asString()` is "" when the
 * field is missing or not a string, and `has` tells a missing field from a null one.
 */
export class JsonValue {
  // Only arrays and objects have containers: a plugin's memory is small (1 MiB by default),
  // and a record's fields are mostly strings and numbers.
  private items: JsonValue[] | null = null;
  private names: string[] | null = null;
  private fields: Map<string, JsonValue> | null = null;

  /** Json.string(…), Json.object() and the like read better than this. */
  constructor(
    readonly kind: JsonKind = JsonKind.Null,
    private flag: bool = false,
    private num: f64 = 0,
    private text: string = "",
  ) {
    if (kind == JsonKind.Array) this.items = [];
    if (kind == JsonKind.Object) {
      this.names = [];
      this.fields = new Map<string, JsonValue>();
    }
  }

  isNull(): bool {
    return this.kind == JsonKind.Null;
  }
  isBool(): bool {
    return this.kind == JsonKind.Bool;
  }
  isNumber(): bool {
    return this.kind == JsonKind.Number;
  }
  isString(): bool {
    return this.kind == JsonKind.String;
  }
  isArray(): bool {
    return this.kind == JsonKind.Array;
  }
  isObject(): bool {
    return this.kind == JsonKind.Object;
  }

  asBool(fallback: bool = false): bool {
    return this.kind == JsonKind.Bool ? this.flag : fallback;
  }
  asNumber(fallback: f64 = 0): f64 {
    return this.kind == JsonKind.Number ? this.num : fallback;
  }
  asString(fallback: string = ""): string {
    return this.kind == JsonKind.String ? this.text : fallback;
  }
  /** The items of an array (the live list), or none for any other kind. */
  asArray(): JsonValue[] {
    return this.kind == JsonKind.Array ? this.items! : [];
  }

  /** Items of an array, or fields of an object; 0 otherwise. */
  get length(): i32 {
    if (this.kind == JsonKind.Array) return this.items!.length;
    return this.kind == JsonKind.Object ? this.names!.length : 0;
  }

  /** The item at `index`, or null JSON when there is none. */
  at(index: i32): JsonValue {
    return this.kind == JsonKind.Array && index >= 0 && index < this.items!.length
      ? this.items![index]
      : Json.nil();
  }

  /** Appends to an array; returns the array, so pushes chain. */
  push(value: JsonValue): JsonValue {
    if (this.kind == JsonKind.Array) this.items!.push(value);
    return this;
  }

  has(key: string): bool {
    return this.kind == JsonKind.Object && this.fields!.has(key);
  }

  /** The field `key` of an object, or null JSON when there is none. */
  get(key: string): JsonValue {
    return this.has(key) ? this.fields!.get(key) : Json.nil();
  }

  getString(key: string, fallback: string = ""): string {
    return this.get(key).asString(fallback);
  }
  getNumber(key: string, fallback: f64 = 0): f64 {
    return this.get(key).asNumber(fallback);
  }
  getBool(key: string, fallback: bool = false): bool {
    return this.get(key).asBool(fallback);
  }

  /** Field names of an object in their order (as written, or as first set). */
  keys(): string[] {
    return this.kind == JsonKind.Object ? this.names!.slice(0) : [];
  }

  /** Sets a field of an object (keeping its place if it exists); returns the object, so sets chain. */
  set(key: string, value: JsonValue): JsonValue {
    if (this.kind != JsonKind.Object) return this;
    if (!this.fields!.has(key)) this.names!.push(key);
    this.fields!.set(key, value);
    return this;
  }
  setString(key: string, value: string): JsonValue {
    return this.set(key, Json.string(value));
  }
  setNumber(key: string, value: f64): JsonValue {
    return this.set(key, Json.number(value));
  }
  setBool(key: string, value: bool): JsonValue {
    return this.set(key, Json.bool(value));
  }

  /** The value as JSON text. */
  toString(): string {
    return stringifyJson(this);
  }
}

/** Makes JSON values, and reads and writes JSON text. */
export class Json {
  static nil(): JsonValue {
    return new JsonValue();
  }
  static bool(value: bool): JsonValue {
    return new JsonValue(JsonKind.Bool, value);
  }
  static number(value: f64): JsonValue {
    return new JsonValue(JsonKind.Number, false, value);
  }
  static string(value: string): JsonValue {
    return new JsonValue(JsonKind.String, false, 0, value);
  }
  static array(): JsonValue {
    return new JsonValue(JsonKind.Array);
  }
  static object(): JsonValue {
    return new JsonValue(JsonKind.Object);
  }
  /** An array of strings, as fields of lists (multiple selects, record ids) take them. */
  static strings(values: string[]): JsonValue {
    const made = Json.array();
    for (let i = 0; i < values.length; i++) made.push(Json.string(values[i]));
    return made;
  }

  /**
   * Parses JSON text; aborts the call (its message in the plugin's logs) when it is not JSON.
   * What the host hands a plugin is always JSON; use tryParse for text from anywhere else.
   */
  static parse(text: string): JsonValue {
    const parsed = parseJson(text);
    if (parsed.error != null) throw new Error("not JSON: " + parsed.error!);
    return parsed.value;
  }

  /** Parses JSON text, or answers null when it is not JSON. */
  static tryParse(text: string): JsonValue | null {
    const parsed = parseJson(text);
    return parsed.error == null ? parsed.value : null;
  }

  static stringify(value: JsonValue): string {
    return stringifyJson(value);
  }
}
