import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { type Scenario, scenarioSchema } from './scenario-schema.ts';

/** Scenario files that cannot be used, each problem with its file, line and path. */
export class ScenarioError extends Error {
  constructor(readonly problems: string[]) {
    super(`${problems.length} problem(s) in the scenarios:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ScenarioError';
  }
}

export interface LoadedScenario {
  scenario: Scenario;
  /** Relative to the scenarios folder. */
  file: string;
}

/** The line (1-based) where `path` sits in the document, or the document's first line. */
function lineOf(doc: ReturnType<typeof parseDocument>, lines: LineCounter, path: PropertyKey[]): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents as { range?: [number] } | null)?.range?.[0] ?? 0;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
      if (!pair) break;
      offset = (pair.key as { range?: [number] } | null)?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key] as { range?: [number] } | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return lines.linePos(offset).line;
}

function parseOne(text: string, file: string): { scenario?: Scenario; problems: string[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map(
        (e) => `${file}:${e.linePos?.[0]?.line ?? 1}: YAML: ${e.message.split('\n')[0]}`,
      ),
    };
  }
  const parsed = scenarioSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((issue: z.core.$ZodIssue) => {
        const where = issue.path.map(String).join('.') || '(top)';
        return `${file}:${lineOf(doc, lines, issue.path)}: ${where}: ${issue.message}`;
      }),
    };
  }
  const expected = basename(file).replace(/\.ya?ml$/, '');
  if (parsed.data.id !== expected) {
    return {
      problems: [
        `${file}:${lineOf(doc, lines, ['id'])}: id: "${parsed.data.id}" must be the file's name, "${expected}"`,
      ],
    };
  }
  return { scenario: parsed.data, problems: [] };
}

/**
 * A group runs on one stage, its conversations told apart by their first words: its members
 * share fixtures and role, and no two open with the same message.
 */
function groupProblems(loaded: readonly LoadedScenario[]): string[] {
  const problems: string[] = [];
  const groups = new Map<string, LoadedScenario[]>();
  for (const one of loaded) {
    if (one.scenario.group) groups.set(one.scenario.group, [...(groups.get(one.scenario.group) ?? []), one]);
  }
  for (const [group, members] of groups) {
    const [first, ...rest] = members as [LoadedScenario, ...LoadedScenario[]];
    const openings = new Set([first.scenario.turns[0]?.user]);
    for (const { scenario, file } of rest) {
      const stage = (s: typeof scenario) => `${s.role} on ${s.fixtures.join(', ')}`;
      if (stage(scenario) !== stage(first.scenario)) {
        problems.push(
          `${file}:1: group: "${group}" runs as ${stage(first.scenario)} (${first.file}), not ${stage(scenario)}`,
        );
      }
      const opening = scenario.turns[0]?.user;
      if (openings.has(opening)) {
        problems.push(`${file}:1: group: another scenario of "${group}" opens with the same message`);
      }
      openings.add(opening);
    }
  }
  return problems;
}

async function yamlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * Every scenario under `dir` (YAML, one per file, in folders as you like), validated: all
 * problems of all files are reported at once (ScenarioError), so a broken scenario never runs
 * as if it were another, and ids are unique.
 */
export async function loadScenarios(dir: string): Promise<LoadedScenario[]> {
  const loaded: LoadedScenario[] = [];
  const problems: string[] = [];
  for (const path of await yamlFiles(dir)) {
    const file = relative(dir, path);
    const one = parseOne(await readFile(path, 'utf8'), file);
    problems.push(...one.problems);
    if (one.scenario) loaded.push({ scenario: one.scenario, file });
  }
  const seen = new Map<string, string>();
  for (const { scenario, file } of loaded) {
    const first = seen.get(scenario.id);
    if (first) problems.push(`${file}:1: id: "${scenario.id}" is also the id of ${first}`);
    else seen.set(scenario.id, file);
  }
  problems.push(...groupProblems(loaded));
  if (problems.length > 0) throw new ScenarioError(problems);
  return loaded;
}
