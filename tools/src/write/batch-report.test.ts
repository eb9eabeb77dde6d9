import type { BatchWriteResult } from '@airsuite/airtable-gateway';
import { describe, expect, it } from 'vitest';
import { describeFailure, reportBatches } from './batch-report.ts';

describe('reportBatches', () => {
  it('says a rate-limited batch was queued, never 429, and which records were written', () => {
    const error = {
      code: 'AIRTABLE_RATE_LIMITED' as const,
      message: 'HTTP 429 Too Many Requests',
      upstreamStatus: 429,
    };
    const result: BatchWriteResult = {
      ok: false,
      total: 12,
      written: 10,
      upstreamCalls: 2,
      records: [
        ...Array.from({ length: 10 }, (_, i) => ({
          index: i,
          status: 'written' as const,
          batchIndex: 0,
          id: `rec${i}`,
        })),
        { index: 10, status: 'failed', batchIndex: 1, error },
        { index: 11, status: 'failed', batchIndex: 1, error },
      ],
      error: { ...error, batchIndex: 1 },
    };
    const report = reportBatches(result, 'created');
    expect(report.ok).toBe(false);
    expect(report.records[10]).toMatchObject({ status: 'failed' });
    expect(report.summary).toContain('0–9');
    expect(report.summary).toContain('queued');
    expect(report.summary).not.toContain('429');
    expect(describeFailure(error)).not.toContain('429');
  });
});
