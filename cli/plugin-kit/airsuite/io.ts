import { Host, Memory } from "@extism/as-pdk";
import { error_set } from "@extism/as-pdk/lib/env";
import { Json, JsonValue } from "./json-value";

/** The call's input, as the host sent it. */
export function inputBytes(): Uint8Array {
  return Host.input();
}

/** The call's input as text (UTF-8). */
export function inputString(): string {
  return Host.inputString();
}

/** The call's input as JSON: a function's input object, a hook's write or event. */
export function inputJson(): JsonValue {
  return Json.parse(Host.inputString());
}

/** The call's output. */
export function outputBytes(bytes: Uint8Array): void {
  // as-pdk copies 8 bytes at a time from the start of the buffer, ignoring a view's offset.
  Host.output(bytes.byteOffset == 0 ? bytes : bytes.slice(0));
}

/**
 * The call's output as text. Not as-pdk's Host.outputString: it sizes the output in UTF-16
 * units but writes UTF-8 bytes, so any non-ASCII text made the host fail to read it.
 */
export function outputString(text: string): void {
  Host.output(Uint8Array.wrap(String.UTF8.encode(text)));
}

export function outputJson(value: JsonValue): void {
  outputString(value.toString());
}

/**
 * Ends the call as failed: `return fail("…")` from an exported function. The host reports
 * PLUGIN_FUNCTION_FAILED with this message; a tool call reads it as the plugin's reason.
 */
export function fail(message: string): i32 {
  error_set(allocateText(message).offset);
  return 1;
}

/** Text in a block of host memory, for the host to read (requests, errors). */
export function allocateText(text: string): Memory {
  const bytes = Uint8Array.wrap(String.UTF8.encode(text));
  const memory = Memory.allocate(bytes.length);
  memory.store(bytes);
  return memory;
}
