import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { approvalReason, DEFAULT_BULK_WRITE_THRESHOLD, toolJudgedFor } from './approval-policy.ts';

/** A write that declares itself non-destructive, as create_records does. */
const createRecords: Tool = {
  name: 'create_records',
  inputSchema: { type: 'object', properties: { records: {}, dry_run: {} } },
  annotations: { readOnlyHint: false, destructiveHint: false },
};

const records = (n: number) => ({
  records: Array.from({ length: n }, (_, i) => ({ fields: { Name: `R${i}` } })),
});

/**
 * README and RunLimits: "writes touching more records than this wait for approval". The
 * threshold itself is still allowed to run; one record more asks.
 */
describe('the bulk-write threshold', () => {
  it('lets a write of exactly the threshold run, and asks for one record more', () => {
    expect(approvalReason(createRecords, records(4), 5)).toBeUndefined();
    expect(approvalReason(createRecords, records(5), 5)).toBeUndefined();
    expect(approvalReason(createRecords, records(6), 5)).toBe('bulk_write');
  });

  it('defaults to 10 records', () => {
    expect(DEFAULT_BULK_WRITE_THRESHOLD).toBe(10);
    expect(approvalReason(createRecords, records(9))).toBeUndefined();
    expect(approvalReason(createRecords, records(10))).toBeUndefined();
    expect(approvalReason(createRecords, records(11))).toBe('bulk_write');
  });

  it('counts record_ids and updates the same way as records', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `rec${i}`);
    expect(approvalReason(createRecords, { record_ids: ids(3) }, 3)).toBeUndefined();
    expect(approvalReason(createRecords, { record_ids: ids(4) }, 3)).toBe('bulk_write');
    const updates = (n: number) => ids(n).map((id) => ({ id, fields: {} }));
    expect(approvalReason(createRecords, { updates: updates(3) }, 3)).toBeUndefined();
    expect(approvalReason(createRecords, { updates: updates(4) }, 3)).toBe('bulk_write');
  });

  it('counts a call without a record list as one record, which the smallest threshold (1) lets run', () => {
    expect(approvalReason(createRecords, { fields: { Name: 'one' } }, 1)).toBeUndefined();
  });

  it('never asks for a dry run, however large', () => {
    expect(approvalReason(createRecords, { ...records(50), dry_run: true }, 5)).toBeUndefined();
  });
});

describe('a plugin function run through run_plugin_function', () => {
  const runner: Tool = {
    name: 'run_plugin_function',
    inputSchema: { type: 'object' },
    annotations: { readOnlyHint: false, destructiveHint: true },
  };
  const score: Tool = {
    name: 'plugin_lead_scoring_score',
    inputSchema: { type: 'object' },
    annotations: { readOnlyHint: true },
  };
  const byName = new Map([runner, score].map((t) => [t.name, t]));
  const judged = (args: Record<string, unknown>) =>
    approvalReason(toolJudgedFor('run_plugin_function', args, byName), args);

  it('asks no more than the function through its own tool: a read-only one runs at once', () => {
    expect(judged({ plugin: 'lead_scoring', function: 'score', input: {} })).toBeUndefined();
  });

  it("keeps the runner's own worst case for a function this caller is not shown", () => {
    expect(judged({ plugin: 'dedupe', function: 'merge', input: {} })).toBe('destructive');
    expect(judged({ plugin: 42 })).toBe('destructive');
  });
});
