import type { BatchWriteResult } from '@airsuite/airtable-gateway';
import { describe, expect, it } from 'vitest';
import { reportBatches } from './batch-report.ts';

/** The one-paragraph summary of a multi-record write says exactly what was written, in words that fit. */
describe('a write summary', () => {
  const refused = {
    code: 'AIRTABLE_ERROR' as const,
    message: 'Field "Stage" cannot accept the value "High"',
    upstreamStatus: 422,
    airtableType: 'INVALID_MULTIPLE_CHOICE_OPTIONS',
    batchIndex: 0,
  };

  it('names a single failed record in the singular, and never a batch size it does not know', () => {
    const result: BatchWriteResult = {
      ok: false,
      total: 1,
      written: 0,
      upstreamCalls: 1,
      records: [{ index: 0, status: 'failed', batchIndex: 0, error: refused }],
      error: refused,
    };
    expect(reportBatches(result, 'created').summary).toBe(
      'Created 0 of 1 records. Record 0 failed: Airtable refused this batch (INVALID_MULTIPLE_CHOICE_OPTIONS): Field "Stage" cannot accept the value "High". Fix the cause and send only the records that were not written.',
    );
  });

  it('tells an outage from a refusal, and with an idempotency key says to repeat the same call', () => {
    const outage = {
      code: 'AIRTABLE_ERROR' as const,
      message: 'Server encountered an error while processing your request',
      upstreamStatus: 503,
      airtableType: 'RETRIABLE_ERROR',
      batchIndex: 1,
    };
    const result: BatchWriteResult = {
      ok: false,
      total: 12,
      written: 10,
      upstreamCalls: 2,
      records: Array.from({ length: 12 }, (_, index) =>
        index < 10
          ? { index, status: 'written' as const, batchIndex: 0, id: `rec${index}` }
          : { index, status: 'failed' as const, batchIndex: 1, error: outage },
      ),
      error: outage,
    };
    expect(reportBatches(result, 'created', 'connectors-1').summary).toBe(
      'Created 10 of 12 records. Written: records 0–9. Records 10–11 failed: Airtable failed (503 RETRIABLE_ERROR) and wrote nothing of this batch; it is safe to send again once Airtable answers. Once the cause is fixed, make the same call again with idempotency_key "connectors-1": the records already written are not sent twice.',
    );
  });

  it('says how many an upsert created and how many it updated', () => {
    const result: BatchWriteResult = {
      ok: true,
      total: 2,
      written: 2,
      upstreamCalls: 1,
      records: [
        { index: 0, status: 'written', batchIndex: 0, id: 'rec1', upsert: 'updated' },
        { index: 1, status: 'written', batchIndex: 0, id: 'rec2', upsert: 'created' },
      ],
    };
    expect(reportBatches(result, 'updated').summary).toBe('Wrote 2 of 2 records: 1 created, 1 updated.');
  });
});
