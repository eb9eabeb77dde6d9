import { Memory } from "@extism/as-pdk";
import { length } from "@extism/as-pdk/lib/env";
import { allocateText } from "./io";
import { Json, JsonValue } from "./json-value";

/** Why the host refused a call: FORBIDDEN (the manifest does not grant it), INVALID_REQUEST, … */
export class HostError {
  constructor(
    public code: string,
    public message: string,
  ) {}
}

/** What every host function answers: ok, or the host's error; `body` is the whole answer. */
export class HostAnswer {
  constructor(
    public ok: bool,
    public error: HostError | null,
    public body: JsonValue,
  ) {}
}

/**
 * Sends `request` to one of AirSuite's host functions (imported where its typed call is
 * written, so a module imports only those it uses) and reads its JSON answer.
 */
export function callHost(hostFunction: (request: u64) => u64, request: JsonValue): HostAnswer {
  const sent = allocateText(request.toString());
  const offset = hostFunction(sent.offset);
  sent.free();
  const received = new Memory(offset, length(offset));
  const body = Json.parse(received.toString());
  received.free();
  if (body.getBool("ok")) return new HostAnswer(true, null, body);
  const error = body.get("error");
  return new HostAnswer(
    false,
    new HostError(error.getString("code", "HOST_ERROR"), error.getString("message")),
    body,
  );
}
