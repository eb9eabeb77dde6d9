import { callHost, HostAnswer } from "./host-call";
import { Json, JsonValue } from "./json-value";

@external("extism:host/user", "emit_event")
declare function emit_event(request: u64): u64;

export class EmittedEvent {
  /** The event's id, and its type as subscribers see it: plugin.<name>.<type>. */
  id: string;
  type: string;
  constructor(public answer: HostAnswer) {
    this.id = answer.body.getString("id");
    this.type = answer.body.getString("type");
  }
}

/**
 * Emits an event of a type the manifest's permissions.events.emit declares, with `data` (a
 * JSON object, at most 64 KiB); webhook endpoints subscribe to plugin.<name>.<type>.
 */
export function emitEvent(type: string, data: JsonValue): EmittedEvent {
  return new EmittedEvent(callHost(emit_event, Json.object().setString("type", type).set("data", data)));
}
