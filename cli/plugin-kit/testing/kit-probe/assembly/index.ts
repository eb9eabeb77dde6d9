// The kit's own probe: each export exercises one part of the kit, for cli/src/plugins/plugin-kit.test.ts.
import {
  config,
  emitEvent,
  fail,
  getRecord,
  HostAnswer,
  inputBytes,
  inputString,
  Json,
  JsonValue,
  kvDelete,
  kvGet,
  kvSet,
  listRecords,
  ListRecords,
  Log,
  outputBytes,
  outputJson,
  outputString,
  SortBy,
  WriteAction,
  writeRecords,
} from "airsuite";

const BASE = "appJRG6RjcS0ZVuqz";

export function roundtrip(): i32 {
  const parsed = Json.tryParse(inputString());
  if (parsed == null) return fail("not JSON");
  outputString(parsed.toString());
  return 0;
}

function outcome(answer: HostAnswer): JsonValue {
  const made = Json.object().setBool("ok", answer.ok);
  const error = answer.error;
  if (error != null) made.setString("code", error.code).setString("message", error.message);
  return made;
}

export function host_calls(): i32 {
  const request = new ListRecords(BASE, "Leads");
  request.fields = ["Name", "Stage"];
  request.filterByFormula = "{Stage} = 'Lead'";
  request.maxRecords = 5;
  request.sort = [new SortBy("Name", "desc")];
  request.view = "Grid view";
  const listed = listRecords(request);
  const names = Json.array();
  for (let i = 0; i < listed.records.length; i++) names.push(listed.records[i].fields.get("Name"));

  const got = getRecord(BASE, "Leads", "rec1");
  const change = Json.object().setString("id", "rec1").set("fields", Json.object().setString("Stage", "Won"));
  const written = writeRecords(WriteAction.Update, BASE, "Leads", Json.array().push(change), "key-1");
  const stored = kvSet("seen", Json.object().setNumber("n", 2));
  const read = kvGet("seen");
  const deleted = kvDelete("seen");
  const emitted = emitEvent("scored", Json.object().setNumber("score", 80));
  const setting = config("greeting");

  outputJson(
    Json.object()
      .set("list", outcome(listed.answer).set("names", names).setString("first_id", listed.records[0].id))
      .set("get", outcome(got.answer).setBool("record", got.record != null))
      .set("write", outcome(written.answer).set("result", written.result))
      .set("kv_set", outcome(stored))
      .set("kv_get", outcome(read.answer).setBool("found", read.found).set("value", read.value))
      .set("kv_delete", outcome(deleted.answer).setBool("deleted", deleted.deleted))
      .set("emit", outcome(emitted.answer).setString("id", emitted.id).setString("type", emitted.type))
      .setString("config", setting != null ? setting : "(none)")
      .setString("missing_config", config("nothing") != null ? "set" : "(none)"),
  );
  return 0;
}

export function fails(): i32 {
  return fail("Zoë says no — 東京");
}

export function aborts(): i32 {
  const empty: i32[] = [];
  return empty[inputString().length];
}

export function tail(): i32 {
  outputBytes(inputBytes().subarray(2));
  return 0;
}

export function logs(): i32 {
  Log.debug("debug: Zoë");
  Log.info("info: 東京");
  Log.warn("warn: 🚀");
  Log.error("error: —");
  return 0;
}
