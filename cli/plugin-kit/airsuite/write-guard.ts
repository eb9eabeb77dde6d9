import { inputJson, outputJson } from "./io";
import { Json, JsonValue } from "./json-value";

/**
 * A write the tools are about to send, as a before_write hook receives it. `records` are as
 * the tool sends them: `{fields}` to create, `{id, fields}` to update, record ids to delete;
 * fields by their names in the table.
 */
export class GuardedWrite {
  constructor(
    /** create_records, update_records, delete_records, … */
    public tool: string,
    /** create, update or delete. */
    public kind: string,
    public baseId: string,
    public tableId: string,
    public records: JsonValue[],
  ) {}
}

/** The write this before_write call is asked about. */
export function guardedWrite(): GuardedWrite {
  const write = inputJson();
  return new GuardedWrite(
    write.getString("tool"),
    write.getString("kind"),
    write.getString("base_id"),
    write.getString("table_id"),
    write.get("records").asArray(),
  );
}

/** Lets the write through: `return allowWrite()`. */
export function allowWrite(): i32 {
  outputJson(Json.object().setString("decision", "allow"));
  return 0;
}

/** Refuses the write; nothing is sent, and the model reads `write refused by <plugin>: <reason>`. */
export function refuseWrite(reason: string): i32 {
  outputJson(Json.object().setString("decision", "refuse").setString("reason", reason));
  return 0;
}

/** Changes the records' fields: one `{fields}` per record of the write, in its order. */
export function adjustWrite(records: JsonValue[]): i32 {
  const list = Json.array();
  for (let i = 0; i < records.length; i++) list.push(records[i]);
  outputJson(Json.object().setString("decision", "adjust").set("records", list));
  return 0;
}
