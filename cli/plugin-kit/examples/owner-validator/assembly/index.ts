// Owner validator: a before_write hook on the Deals table. A deal created without an Owner, or
// changed to have none, is refused with a reason the model reads; other tables, deletions and
// changes that leave the Owner alone go through.
//
// Settings (`config` when installing): deals_table, the Deals table's id (tbl…; default the
// sample Sales CRM's), and owner_field (default Owner).
import { allowWrite, config, guardedWrite, JsonValue, refuseWrite } from "airsuite";

const SAMPLE_DEALS = "tblKcraO7XrOoV3jk";

function setting(key: string, fallback: string): string {
  const value = config(key);
  return value != null ? value : fallback;
}

/** An Owner left empty: nothing, blank text, or an empty list (collaborators). */
function blank(value: JsonValue): bool {
  if (value.isNull()) return true;
  if (value.isString()) return value.asString().trim().length == 0;
  return value.isArray() && value.length == 0;
}

/** Whether the record leaves the deal without an owner: a new one must name it, a change must not clear it. */
function ownerless(record: JsonValue, kind: string, field: string): bool {
  const fields = record.get("fields");
  const creates = kind == "create" || (kind == "upsert" && !record.has("id"));
  if (creates) return !fields.has(field) || blank(fields.get(field));
  return fields.has(field) && blank(fields.get(field));
}

export function before_write(): i32 {
  const write = guardedWrite();
  if (write.kind == "delete" || write.tableId != setting("deals_table", SAMPLE_DEALS)) return allowWrite();
  const field = setting("owner_field", "Owner");
  let missing = 0;
  let first = -1;
  for (let i = 0; i < write.records.length; i++) {
    if (!ownerless(write.records[i], write.kind, field)) continue;
    missing++;
    if (first < 0) first = i;
  }
  if (missing == 0) return allowWrite();
  const which =
    missing == 1 ? "records[" + first.toString() + "] has none" : missing.toString() + " records have none";
  return refuseWrite("every deal needs an " + field + " (" + which + ")");
}
