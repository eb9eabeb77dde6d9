import { describe, expect, it } from 'vitest';
import { type ScenarioInput, scenarioSchema } from '../scenario/scenario-schema.ts';
import { scoreCalls } from './score-calls.ts';

/**
 * The call-side scores of a run, apart from its end state: tool selection (precision, recall,
 * F1 over names), argument accuracy (matchers), order, forbidden calls and abstention, each
 * failure named so a report can say which call was wrong and how.
 */

const scenario = (expectations: ScenarioInput['expect']) =>
  scenarioSchema.parse({
    id: 'spec-scenario',
    title: 'A spec scenario',
    tags: ['spec'],
    turns: [{ user: 'hi' }],
    expect: expectations,
  });

const CRM = 'appJRG6RjcS0ZVuqz';
const list = (formula: string) => ({
  tool: 'list_records',
  args: { base_id: CRM, table: 'Deals', filter_by_formula: formula },
});

describe('scoring calls', () => {
  const expectations = {
    calls: [
      { tool: 'describe_table' },
      {
        tool: 'list_records',
        args: { $subset: { table: 'Deals', filter_by_formula: { $contains: 'Closed Won' } } },
      },
    ],
  };

  it('scores a run that made exactly the expected calls as perfect', () => {
    const scores = scoreCalls(scenario(expectations), [
      { tool: 'describe_table', args: { base_id: CRM, table: 'Deals' } },
      list("{Stage} = 'Closed Won'"),
    ]);
    expect(scores).toEqual({
      selection: { precision: 1, recall: 1, f1: 1 },
      argumentAccuracy: 1,
      problems: [],
    });
  });

  it('names a call made with the wrong arguments, and where they differ', () => {
    const scores = scoreCalls(scenario(expectations), [
      { tool: 'describe_table', args: {} },
      list("{Stage} = 'Closed Lost'"),
    ]);
    expect(scores.selection.f1).toBe(1);
    expect(scores.argumentAccuracy).toBe(0.5);
    expect(scores.problems).toEqual([
      expect.stringMatching(
        /^wrong call: list_records was called with other arguments \(filter_by_formula: expected a string containing "Closed Won"/,
      ),
    ]);
  });

  it('counts extra and missing calls against precision and recall', () => {
    const scores = scoreCalls(scenario(expectations), [
      { tool: 'list_bases', args: {} },
      { tool: 'list_bases', args: {} },
      list("{Stage} = 'Closed Won'"),
    ]);
    expect(scores.selection).toEqual({ precision: 0.333, recall: 0.5, f1: 0.4 });
    expect(scores.problems).toEqual(['wrong call: describe_table was not called']);
  });

  it('holds strict order, allowing other calls between', () => {
    const strict = scenario({ ...expectations, order: 'strict' });
    expect(
      scoreCalls(strict, [
        { tool: 'describe_table', args: {} },
        { tool: 'list_bases', args: {} },
        list('Closed Won'),
      ]).problems,
    ).toEqual([]);
    expect(scoreCalls(strict, [list('Closed Won'), { tool: 'describe_table', args: {} }]).problems).toEqual([
      'wrong call: list_records was called only out of order',
    ]);
  });

  it('names forbidden calls, and scores abstention where no call may be made', () => {
    const careful = scenario({
      calls: [],
      forbidden: ['delete_records', { tool: 'update_records', args: { $subset: { table: 'Deals' } } }],
    });
    expect(
      scoreCalls(careful, [
        { tool: 'update_records', args: { table: 'Companies' } },
        { tool: 'delete_records', args: { records: ['rec1'] } },
      ]).problems,
    ).toEqual(['forbidden call: delete_records was called ({"records":["rec1"]})']);
    const irrelevant = scenario({ no_calls: true });
    expect(scoreCalls(irrelevant, [])).toMatchObject({ abstained: true, problems: [], selection: { f1: 1 } });
    expect(scoreCalls(irrelevant, [{ tool: 'list_bases', args: {} }])).toMatchObject({
      abstained: false,
      problems: ['no call expected, but list_bases was called'],
      selection: { precision: 0 },
    });
  });

  it('leaves selection to the forbidden list when a scenario names no calls (a harmless look-up is fine)', () => {
    const viewer = scenario({ forbidden: ['update_records'] });
    expect(scoreCalls(viewer, [{ tool: 'whoami', args: {} }])).toMatchObject({
      problems: [],
      selection: { precision: 1, recall: 1, f1: 1 },
    });
    expect(scoreCalls(viewer, [{ tool: 'update_records', args: {} }]).problems).toEqual([
      'forbidden call: update_records was called ({})',
    ]);
  });
});
