import { callHost, HostAnswer } from "./host-call";
import { Json, JsonValue } from "./json-value";

@external("extism:host/user", "kv_get")
declare function kv_get(request: u64): u64;
@external("extism:host/user", "kv_set")
declare function kv_set(request: u64): u64;
@external("extism:host/user", "kv_delete")
declare function kv_delete(request: u64): u64;

export class KvValue {
  found: bool;
  /** The stored JSON, or null JSON when nothing is stored under the key. */
  value: JsonValue;
  constructor(public answer: HostAnswer) {
    this.found = answer.body.getBool("found");
    this.value = answer.body.get("value");
  }
}

/** The plugin's own storage in its workspace (permissions.kv): keys up to 200 characters. */
export function kvGet(key: string): KvValue {
  return new KvValue(callHost(kv_get, Json.object().setString("key", key)));
}

/** Stores JSON under `key` (at most 64 KiB of it, and 1000 keys a plugin). */
export function kvSet(key: string, value: JsonValue): HostAnswer {
  return callHost(kv_set, Json.object().setString("key", key).set("value", value));
}

export class KvDeleted {
  deleted: bool;
  constructor(public answer: HostAnswer) {
    this.deleted = answer.body.getBool("deleted");
  }
}

export function kvDelete(key: string): KvDeleted {
  return new KvDeleted(callHost(kv_delete, Json.object().setString("key", key)));
}
