import type { BatchWriteResult, WriteFailure } from '@airsuite/airtable-gateway';
import { z } from 'zod';

type Written = 'created' | 'updated' | 'deleted';

export type RecordResult = {
  index: number;
  id?: string;
  status: Written | 'failed' | 'not_attempted';
  error?: string;
};

/** Per-record results ({index, id, status, error}) in an output schema, described loosely. */
export const recordResultsOutput = z.array(z.looseObject({ id: z.string().optional() }));

/** Why a batch failed, in words a model can act on (a rate limit is "queued", never a status code). */
export function describeFailure(failure: WriteFailure): string {
  switch (failure.code) {
    case 'AIRTABLE_RATE_LIMITED':
    case 'GATEWAY_QUEUE_FULL':
    case 'GATEWAY_QUEUE_TIMEOUT':
      return 'queued behind other work on this base and waited as long as allowed; send these records again in a minute';
    case 'GATEWAY_WRITE_OUTCOME_UNKNOWN':
      return 'the answer was lost, so these records MAY have been written; read them back before sending them again';
    case 'GATEWAY_ABORTED':
      return 'the call was cancelled before this batch was sent';
    case 'AIRTABLE_BILLING_LIMIT':
      return "the workspace has used up its plan's monthly API calls";
    case 'AIRTABLE_ERROR':
      // A 5xx is Airtable failing, not refusing: nothing of the batch landed, and it may be sent again.
      if ((failure.upstreamStatus ?? 0) >= 500) {
        return `Airtable failed (${failure.upstreamStatus} ${failure.airtableType ?? 'server error'}) and wrote nothing of this batch; it is safe to send again once Airtable answers`;
      }
      return `Airtable refused this batch (${failure.airtableType ?? failure.upstreamStatus}): ${failure.message}`;
    default:
      return `Airtable could not be reached (${failure.code})`;
  }
}

/** Input positions as ranges: `0–9, 20, 40–49`. */
export function ranges(indexes: number[]): string {
  const parts: string[] = [];
  let start = indexes[0];
  for (let i = 0; i < indexes.length; i++) {
    const cur = indexes[i] as number;
    const next = indexes[i + 1];
    if (next !== cur + 1) {
      parts.push(start === cur ? `${cur}` : `${start}–${cur}`);
      start = next;
    }
  }
  return parts.join(', ');
}

/**
 * Per-record results and a one-paragraph summary that says exactly what was written, and how
 * to finish: with an idempotency key, the same call again (what landed is not sent twice).
 */
export function reportBatches(result: BatchWriteResult, verb: Written, idempotencyKey?: string) {
  const records: RecordResult[] = result.records.map((r) => {
    if (r.status === 'written') return { index: r.index, id: r.id, status: r.upsert ?? verb };
    if (r.status === 'failed') return { index: r.index, status: 'failed', error: describeFailure(r.error) };
    return { index: r.index, status: 'not_attempted' };
  });
  const pick = (s: RecordResult['status'][]) =>
    records.filter((r) => s.includes(r.status)).map((r) => r.index);
  const written = pick(['created', 'updated', 'deleted']);
  const created = pick(['created']).length;
  // An upsert's records are created or updated each: the summary says how many of each.
  let summary =
    verb === 'updated' && created > 0
      ? `Wrote ${result.written} of ${result.total} records: ${created} created, ${pick(['updated']).length} updated.`
      : `${capital(verb)} ${result.written} of ${result.total} records.`;
  if (!result.ok) {
    const failed = pick(['failed']);
    const skipped = pick(['not_attempted']);
    if (written.length) summary += ` Written: ${records_(written)} ${ranges(written)}.`;
    if (failed.length && result.error)
      summary += ` ${capital(records_(failed))} ${ranges(failed)} failed: ${describeFailure(result.error)}.`;
    if (skipped.length) {
      summary += ` ${capital(records_(skipped))} ${ranges(skipped)} ${skipped.length === 1 ? 'was' : 'were'} not attempted.`;
    }
    summary += idempotencyKey
      ? ` Once the cause is fixed, make the same call again with idempotency_key "${idempotencyKey}": the records already written are not sent twice.`
      : ' Fix the cause and send only the records that were not written.';
  }
  return { ok: result.ok, records, summary };
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const records_ = (indexes: readonly number[]) => (indexes.length === 1 ? 'record' : 'records');
