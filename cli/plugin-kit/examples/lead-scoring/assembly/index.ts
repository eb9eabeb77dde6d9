// Lead scoring: reads the records of a granted table and scores each from 0 to 100.
//
//   Employees   ≥ 1000: 30   ≥ 200: 20   ≥ 20: 10
//   Budget      ≥ 100 000: 30   ≥ 25 000: 20   ≥ 5 000: 10   (Deals: their Amount)
//   Stage       Lead 5, Qualified 15, Proposal 25, Negotiation 35, Closed Won 40, anything else 0
//
// 70 and more is hot, 40 and more warm, the rest cold; the hottest come first (ties in the
// table's order).
import { fail, inputJson, Json, JsonValue, listRecords, ListRecords, outputJson } from "airsuite";

/** The sample Sales CRM: grant your own base in manifest.json, and name it here. */
const BASE = "appJRG6RjcS0ZVuqz";

class Scored {
  constructor(
    public position: i32,
    public id: string,
    public name: string,
    public score: i32,
    public reasons: string[],
  ) {}
}

function bandOf(value: f64, top: f64, middle: f64, low: f64): i32 {
  if (value >= top) return 30;
  if (value >= middle) return 20;
  return value >= low ? 10 : 0;
}

/** 1200, not AssemblyScript's "1200.0": a number as JSON writes it. */
function numberText(value: f64): string {
  return Json.number(value).toString();
}

function stagePoints(stage: string): i32 {
  if (stage == "Lead") return 5;
  if (stage == "Qualified") return 15;
  if (stage == "Proposal") return 25;
  if (stage == "Negotiation") return 35;
  return stage == "Closed Won" ? 40 : 0;
}

function gradeOf(score: i32): string {
  if (score >= 70) return "hot";
  return score >= 40 ? "warm" : "cold";
}

function scoreOf(position: i32, id: string, fields: JsonValue): Scored {
  const reasons: string[] = [];
  const employees = fields.getNumber("Employees");
  const budget = fields.has("Budget") ? fields.getNumber("Budget") : fields.getNumber("Amount");
  const stage = fields.getString("Stage");
  const points = [
    bandOf(employees, 1000, 200, 20),
    bandOf(budget, 100000, 25000, 5000),
    stagePoints(stage),
  ];
  if (points[0] > 0) reasons.push(numberText(employees) + " employees: +" + points[0].toString());
  if (points[1] > 0) reasons.push("budget " + numberText(budget) + ": +" + points[1].toString());
  if (points[2] > 0) reasons.push("stage " + stage + ": +" + points[2].toString());
  const name = fields.has("Name") ? fields.getString("Name") : fields.getString("Deal Name", id);
  return new Scored(position, id, name, points[0] + points[1] + points[2], reasons);
}

export function score(): i32 {
  const input = inputJson();
  const request = new ListRecords(BASE, input.getString("table", "Leads"));
  const filter = input.getString("filter_by_formula");
  if (filter.length > 0) request.filterByFormula = filter;
  request.maxRecords = <i32>input.getNumber("max_records", 100);
  const listed = listRecords(request);
  const error = listed.answer.error;
  if (error != null) return fail(error.code + ": " + error.message);

  const scored: Scored[] = [];
  for (let i = 0; i < listed.records.length; i++) {
    scored.push(scoreOf(i, listed.records[i].id, listed.records[i].fields));
  }
  scored.sort((a: Scored, b: Scored): i32 => (a.score != b.score ? b.score - a.score : a.position - b.position));

  const scores = Json.array();
  for (let i = 0; i < scored.length; i++) {
    const one = scored[i];
    scores.push(
      Json.object()
        .setString("id", one.id)
        .setString("name", one.name)
        .setNumber("score", one.score)
        .setString("grade", gradeOf(one.score))
        .set("reasons", Json.strings(one.reasons)),
    );
  }
  outputJson(Json.object().set("scores", scores).setNumber("count", scored.length));
  return 0;
}
