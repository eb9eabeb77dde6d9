import { callHost, HostAnswer } from "./host-call";
import { Json, JsonValue } from "./json-value";

@external("extism:host/user", "records_list")
declare function records_list(request: u64): u64;
@external("extism:host/user", "records_get")
declare function records_get(request: u64): u64;
@external("extism:host/user", "records_write")
declare function records_write(request: u64): u64;

/** A record as the host hands it over: its id and its fields by name. */
export class AirtableRecord {
  constructor(
    public id: string,
    public fields: JsonValue,
  ) {}
}

export class SortBy {
  constructor(
    public field: string,
    public direction: string = "asc",
  ) {}
}

/** records_list's request: a granted table (by id or name), and what to read of it. */
export class ListRecords {
  fields: string[] | null = null;
  filterByFormula: string | null = null;
  /** 0 leaves the host's default (100); at most 1000. */
  maxRecords: i32 = 0;
  sort: SortBy[] | null = null;
  view: string | null = null;

  constructor(
    public base: string,
    public table: string,
  ) {}

  toJson(): JsonValue {
    const request = Json.object().setString("base", this.base).setString("table", this.table);
    if (this.fields != null) request.set("fields", Json.strings(this.fields!));
    if (this.filterByFormula != null) request.setString("filter_by_formula", this.filterByFormula!);
    if (this.maxRecords > 0) request.setNumber("max_records", this.maxRecords);
    if (this.view != null) request.setString("view", this.view!);
    if (this.sort != null) {
      const sort = Json.array();
      const by = this.sort!;
      for (let i = 0; i < by.length; i++)
        sort.push(Json.object().setString("field", by[i].field).setString("direction", by[i].direction));
      request.set("sort", sort);
    }
    return request;
  }
}

function recordOf(json: JsonValue): AirtableRecord {
  return new AirtableRecord(json.getString("id"), json.get("fields"));
}

export class RecordsAnswer {
  records: AirtableRecord[] = [];
  constructor(public answer: HostAnswer) {
    const listed = answer.body.get("records").asArray();
    for (let i = 0; i < listed.length; i++) this.records.push(recordOf(listed[i]));
  }
}

/** Reads records of a table the manifest's permissions.records.read grants. */
export function listRecords(request: ListRecords): RecordsAnswer {
  return new RecordsAnswer(callHost(records_list, request.toJson()));
}

export class RecordAnswer {
  record: AirtableRecord | null = null;
  constructor(public answer: HostAnswer) {
    if (answer.ok) this.record = recordOf(answer.body.get("record"));
  }
}

/** Reads one record of a granted table. */
export function getRecord(base: string, table: string, recordId: string): RecordAnswer {
  const request = Json.object()
    .setString("base", base)
    .setString("table", table)
    .setString("record_id", recordId);
  return new RecordAnswer(callHost(records_get, request));
}

/** What records_write does, as the create_records, update_records and delete_records tools. */
export enum WriteAction {
  Create,
  Update,
  Delete,
}

export class WriteAnswer {
  /** The write tool's output (created or updated records, a summary), when ok. */
  result: JsonValue;
  constructor(public answer: HostAnswer) {
    this.result = answer.body.get("result");
  }
}

/**
 * Writes records of a table the manifest's permissions.records.write grants, as the write
 * tools do (write guards, operations and events apply). `records`: `[{fields}]` to create,
 * `[{id, fields}]` to update, record ids to delete. A refusal of the tool is the answer's error.
 */
export function writeRecords(
  action: WriteAction,
  base: string,
  table: string,
  records: JsonValue,
  idempotencyKey: string | null = null,
): WriteAnswer {
  const verb = action == WriteAction.Create ? "create" : action == WriteAction.Update ? "update" : "delete";
  const request = Json.object()
    .setString("action", verb)
    .setString("base", base)
    .setString("table", table)
    .set("records", records);
  if (idempotencyKey != null) request.setString("idempotency_key", idempotencyKey!);
  return new WriteAnswer(callHost(records_write, request));
}
