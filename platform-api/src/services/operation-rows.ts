import type { OperationChunk, OperationRecord, OperationState, WriteKind } from '@airsuite/tools';

/** An `operations` row with its chunks (aggregated as JSON), as both drivers return it. */
export interface OperationRow {
  id: string;
  actor_id: string;
  tool: string;
  kind: WriteKind;
  base_id: string;
  table_id: string;
  idempotency_key: string | null;
  request_hash: string;
  state: OperationState;
  total: number;
  pending: OperationRecord['pending'] | null;
  result: Record<string, unknown> | null;
  error_code: string | null;
  created_at: Date | string;
  updated_at: Date | string;
  lease_until: Date | string | null;
  chunks: ChunkRow[] | string | null;
}

interface ChunkRow {
  chunk: number;
  state: OperationChunk['state'];
  records: OperationChunk['records'];
  error_code: string | null;
  reconciled: boolean;
  at: string;
}

/** The columns every read selects: the row and its chunks in one statement. */
export const OPERATION_COLUMNS = `o.id, o.actor_id, o.tool, o.kind, o.base_id, o.table_id, o.idempotency_key,
  o.request_hash, o.state, o.total, o.pending, o.result, o.error_code, o.created_at, o.updated_at, o.lease_until,
  (SELECT json_agg(json_build_object('chunk', c.chunk, 'state', c.state, 'records', c.records,
     'error_code', c.error_code, 'reconciled', c.reconciled, 'at', c.at) ORDER BY c.chunk)
   FROM operation_chunks c WHERE c.operation_id = o.id) AS chunks`;

const iso = (value: Date | string) => new Date(value).toISOString();

export function toOperation(row: OperationRow): OperationRecord {
  const chunks = (typeof row.chunks === 'string' ? JSON.parse(row.chunks) : (row.chunks ?? [])) as ChunkRow[];
  return {
    id: row.id,
    tool: row.tool,
    kind: row.kind,
    baseId: row.base_id,
    tableId: row.table_id,
    ...(row.idempotency_key ? { idempotencyKey: row.idempotency_key } : {}),
    requestHash: row.request_hash,
    state: row.state,
    total: row.total,
    chunks: chunks.map((c) => ({
      chunk: c.chunk,
      state: c.state,
      records: c.records,
      ...(c.error_code ? { errorCode: c.error_code } : {}),
      ...(c.reconciled ? { reconciled: true } : {}),
      at: iso(c.at),
    })),
    ...(row.result ? { result: row.result } : {}),
    ...(row.error_code ? { errorCode: row.error_code } : {}),
    callerId: row.actor_id,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    ...(row.lease_until ? { leaseUntil: iso(row.lease_until) } : {}),
    ...(row.pending ? { pending: row.pending } : {}),
  };
}
