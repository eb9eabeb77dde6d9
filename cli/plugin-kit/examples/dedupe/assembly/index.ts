// Dedupe: groups the records whose normalized email (trimmed, lower-case) or normalized name
// (lower-case, runs of spaces as one) repeats. Groups are transitive: A and B share an email,
// B and C a name, so A, B and C are one group.
import { fail, inputJson, Json, JsonValue, listRecords, ListRecords, outputJson } from "airsuite";

/** The sample Sales CRM: grant your own base in manifest.json, and name it here. */
const BASE = "appJRG6RjcS0ZVuqz";
/** A scan reads at most this many records (one host call). */
const MAX_RECORDS = 1000;

function isSpace(unit: i32): bool {
  return unit == 0x20 || unit == 0x09 || unit == 0x0a || unit == 0x0d || unit == 0xa0;
}

function normalizedName(name: string): string {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i <= name.length; i++) {
    const space = i == name.length || isSpace(name.charCodeAt(i));
    if (!space && start < 0) start = i;
    if (space && start >= 0) {
      words.push(name.substring(start, i));
      start = -1;
    }
  }
  return words.join(" ").toLowerCase();
}

function normalizedEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Disjoint sets over record positions: each record starts alone, joined when a key repeats. */
class Groups {
  parent: i32[] = [];
  constructor(size: i32) {
    for (let i = 0; i < size; i++) this.parent.push(i);
  }
  root(i: i32): i32 {
    while (this.parent[i] != i) i = this.parent[i] = this.parent[this.parent[i]];
    return i;
  }
  join(a: i32, b: i32): void {
    const ra = this.root(a);
    const rb = this.root(b);
    if (ra != rb) this.parent[max(ra, rb)] = min(ra, rb);
  }
}

/** Joins every record to the first one with the same key; returns how often each key occurs. */
function joinOn(keys: string[], groups: Groups): Map<string, i32> {
  const first = new Map<string, i32>();
  const counts = new Map<string, i32>();
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key.length == 0) continue;
    if (first.has(key)) groups.join(first.get(key), i);
    else first.set(key, i);
    counts.set(key, counts.has(key) ? counts.get(key) + 1 : 1);
  }
  return counts;
}

function repeats(counts: Map<string, i32>, key: string): bool {
  return key.length > 0 && counts.has(key) && counts.get(key) > 1;
}

export function find_duplicates(): i32 {
  const input = inputJson();
  const table = input.getString("table", "Contacts");
  const emailField = input.getString("email_field", "Email");
  const nameField = input.getString("name_field", table == "Leads" ? "Name" : "Full Name");
  const request = new ListRecords(BASE, table);
  request.fields = [nameField, emailField];
  request.maxRecords = MAX_RECORDS;
  const filter = input.getString("filter_by_formula");
  if (filter.length > 0) request.filterByFormula = filter;
  const listed = listRecords(request);
  const error = listed.answer.error;
  if (error != null) return fail(error.code + ": " + error.message);

  const records = listed.records;
  const emails: string[] = [];
  const names: string[] = [];
  for (let i = 0; i < records.length; i++) {
    emails.push(normalizedEmail(records[i].fields.getString(emailField)));
    names.push(normalizedName(records[i].fields.getString(nameField)));
  }
  const groups = new Groups(records.length);
  const emailCounts = joinOn(emails, groups);
  const nameCounts = joinOn(names, groups);

  // Each group is listed at its first record, its members in the table's order.
  const found = Json.array();
  let duplicates = 0;
  for (let i = 0; i < records.length; i++) {
    if (groups.root(i) != i) continue;
    const members = Json.array();
    let byEmail = false;
    let byName = false;
    for (let j = i; j < records.length; j++) {
      if (groups.root(j) != i) continue;
      byEmail = byEmail || repeats(emailCounts, emails[j]);
      byName = byName || repeats(nameCounts, names[j]);
      const fields = records[j].fields;
      members.push(
        Json.object()
          .setString("id", records[j].id)
          .setString("name", fields.getString(nameField))
          .setString("email", fields.getString(emailField)),
      );
    }
    if (members.length < 2) continue;
    duplicates += members.length;
    const matchedOn: string[] = [];
    if (byEmail) matchedOn.push("email");
    if (byName) matchedOn.push("name");
    found.push(Json.object().set("matched_on", Json.strings(matchedOn)).set("records", members));
  }
  outputJson(
    Json.object().set("groups", found).setNumber("scanned", records.length).setNumber("duplicates", duplicates),
  );
  return 0;
}
