import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadScenarios, ScenarioError } from './load-scenarios.ts';

/**
 * Scenario files are YAML, one scenario each, validated before anything runs: every problem
 * of every file is named with its file, line and path, ids are the file names and unique.
 */

const dirs: string[] = [];

async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'airsuite-scenarios-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const GOOD = `id: count-won-deals
title: Counts the deals won
tags: [reading, aggregates]
turns:
  - user: How many deals have we won?
expect:
  calls:
    - tool: count_records
      args: { $subset: { table: Deals, filter_by_formula: { $contains: "Closed Won" } } }
  answer_contains: ["deals"]
`;

describe('loading scenarios', () => {
  it('reads a short file with its defaults filled in', async () => {
    const [loaded] = await loadScenarios(await folder({ 'reading/count-won-deals.yaml': GOOD }));
    expect(loaded?.file).toBe(join('reading', 'count-won-deals.yaml'));
    expect(loaded?.scenario).toMatchObject({
      id: 'count-won-deals',
      fixtures: ['sample'],
      role: 'editor',
      turns: [{ user: 'How many deals have we won?', approvals: [] }],
      expect: { order: 'loose', forbidden: [], no_calls: false, max_steps: 10 },
    });
  });

  it('names every problem of every file with its line and path, at once', async () => {
    const dir = await folder({
      'a.yaml': GOOD.replace('id: count-won-deals', 'id: a-scenario').replace(
        'tags: [reading, aggregates]',
        'tags: []',
      ),
      'b.yaml': 'id: b-scenario\ntitle: Bad\nroles: editor\n',
      'c.yaml': 'id: c-scenario\n  title: [unclosed\n',
      'count-won-deals.yaml': GOOD.replace('  calls:', '  no_calls: true\n  calls:'),
    });
    const error = await loadScenarios(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    const problems = (error as ScenarioError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^a\.yaml:3: tags: /),
        expect.stringMatching(/^b\.yaml:2: title: /),
        expect.stringMatching(/^b\.yaml:1: \(top\): .*roles/),
        expect.stringMatching(/^b\.yaml:\d+: turns: /),
        expect.stringMatching(/^c\.yaml:\d+: YAML: /),
        expect.stringMatching(/^count-won-deals\.yaml:\d+: expect\.no_calls: no_calls and calls contradict/),
      ]),
    );
  });

  it("refuses an id that is not the file's name, or one used twice", async () => {
    const renamed = await folder({ 'other-name.yaml': GOOD });
    await expect(loadScenarios(renamed)).rejects.toThrow(
      /other-name\.yaml:1: id: "count-won-deals" must be the file's name/,
    );
    const twice = await folder({ 'x/count-won-deals.yaml': GOOD, 'y/count-won-deals.yaml': GOOD });
    await expect(loadScenarios(twice)).rejects.toThrow(/is also the id of x\/count-won-deals\.yaml/);
  });

  it('keeps a group on one stage: one role and fixtures, and no two members opening alike', async () => {
    const member = (id: string, extra: string) =>
      GOOD.replace('id: count-won-deals', `id: ${id}\ngroup: at-once${extra}`);
    const dir = await folder({
      'gg1.yaml': member('gg1', ''),
      'gg2.yaml': member('gg2', '\nrole: viewer').replace('have we won?', 'did we win?'),
      'gg3.yaml': member('gg3', ''),
    });
    const error = await loadScenarios(dir).catch((e: unknown) => e);
    expect((error as ScenarioError).problems).toEqual([
      'gg2.yaml:1: group: "at-once" runs as editor on sample (gg1.yaml), not viewer on sample',
      'gg3.yaml:1: group: another scenario of "at-once" opens with the same message',
    ]);
  });

  it('reads what happens before a turn: records changed by someone else, or faults', async () => {
    const dir = await folder({
      'count-won-deals.yaml': GOOD.replace(
        '  - user: How many deals have we won?',
        `  - user: How many deals have we won?
    before:
      - delete: { base: appJRG6RjcS0ZVuqz, table: Deals, where: { Stage: Closed Won } }
      - faults: { errorRate: 2 }`,
      ),
    });
    const error = await loadScenarios(dir).catch((e: unknown) => e);
    // The emulator's own fault rules apply: a rate is at most 1.
    expect((error as ScenarioError).problems).toEqual([
      expect.stringMatching(/^count-won-deals\.yaml:\d+: turns\.0\.before\.1/),
    ]);
  });
});
