/**
 * Where write operations are recorded: the platform's database, or memory in a standalone
 * server. A tool records an operation before its first upstream write and each chunk of 10
 * records as it lands, so a crash leaves a trail that says exactly what was written, and a
 * repeated call with the same idempotency key finishes only what is missing.
 *
 * The store is already scoped to one workspace (and knows the caller), like PlatformPort:
 * a tool can never name another tenant's operation.
 */

export type OperationState = 'running' | 'succeeded' | 'partial' | 'failed' | 'interrupted';

/** What the tool does to each record; decides how an uncertain chunk is checked. */
export type WriteKind = 'create' | 'update' | 'upsert' | 'delete';

export interface LandedRecord {
  /** Position in the call's input. */
  index: number;
  id: string;
  /** Upserts: whether Airtable created the record or matched and updated one. */
  upsert?: 'created' | 'updated';
  /** The field names the call wrote (creates and updates): what a `record.*` event reports as changed. */
  written?: string[];
  /** Airtable's answer for those fields (a cleared field is absent). Unknown for chunks read back after an interruption. */
  fields?: Record<string, unknown>;
}

/** One chunk (Airtable's batch of 10): chunk `n` holds input records 10n … 10n+9. */
export interface OperationChunk {
  chunk: number;
  /** `not_landed`: checked after an interruption and found not written. */
  state: 'landed' | 'failed' | 'not_landed';
  /** The records written (landed chunks only). */
  records: LandedRecord[];
  errorCode?: string;
  /** Found by reading Airtable back after an interruption, not from Airtable's answer. */
  reconciled?: boolean;
  /** ISO time it was recorded. */
  at: string;
}

export interface OperationRecord {
  id: string;
  tool: string;
  kind: WriteKind;
  baseId: string;
  tableId: string;
  idempotencyKey?: string;
  /** sha256 of the call's arguments (without the key): a key reused for another call is refused. */
  requestHash: string;
  /** As stored; see `effectiveState` for how a dead runner's `running` reads. */
  state: OperationState;
  total: number;
  /** Ordered by chunk number. */
  chunks: OperationChunk[];
  /** The tool's output, once the operation ended. */
  result?: Record<string, unknown>;
  errorCode?: string;
  /** Who made the call (user or API key id). */
  callerId: string;
  createdAt: string;
  updatedAt: string;
  /** While running: the runner renews this; past it, the runner is taken to be dead. */
  leaseUntil?: string;
  /** The chunk being sent (recorded just before it goes), so a lost answer can be checked later. */
  pending?: PendingChunk;
}

export interface PendingChunk {
  chunk: number;
  /** The chunk's records as sent to Airtable (cells, ids). */
  items: unknown[];
  at: string;
}

/** What a tool knows of an operation before it starts. */
export type NewOperation = Pick<
  OperationRecord,
  'tool' | 'kind' | 'baseId' | 'tableId' | 'idempotencyKey' | 'requestHash' | 'total'
> & {
  /** Already summarised (no secrets, bounded), for the audit trail. */
  argumentsSummary: Record<string, unknown>;
  requestId?: string;
};

export type OperationStart =
  /** A new operation, running and leased to this caller. */
  | { kind: 'started'; operation: OperationRecord }
  /** The key was used before: that operation, untouched (the caller decides: replay, resume, refuse). */
  | { kind: 'existing'; operation: OperationRecord };

export interface OperationQuery {
  state?: OperationState;
  /** Default 20, at most 100. */
  limit?: number;
}

export interface OperationStore {
  /** How long a runner's lease lasts; a runner renews it at least every third of this. */
  readonly leaseMs: number;
  /** Records a new operation before its first write; a key already used returns that operation instead. */
  start(operation: NewOperation): Promise<OperationStart>;
  /**
   * Takes an unfinished or ended operation over to resume it. Undefined when a live runner
   * holds it (state `running`, lease not expired).
   */
  claim(id: string): Promise<OperationRecord | undefined>;
  /** Records the chunk about to be sent, before it goes. */
  recordPending(id: string, pending: PendingChunk): Promise<void>;
  /**
   * Records one chunk's outcome (replacing an earlier outcome of the same chunk) and renews the
   * lease, unless the chunk was `reconciled` (read back by someone other than its runner).
   */
  recordChunk(id: string, chunk: OperationChunk): Promise<void>;
  heartbeat(id: string): Promise<void>;
  finish(
    id: string,
    end: { state: 'succeeded' | 'partial' | 'failed'; result: Record<string, unknown>; errorCode?: string },
  ): Promise<void>;
  get(ref: { id: string } | { idempotencyKey: string }): Promise<OperationRecord | undefined>;
  /** Newest first. */
  list(query?: OperationQuery): Promise<OperationRecord[]>;
}

/** A `running` operation whose runner stopped renewing its lease died with its process. */
export function effectiveState(operation: OperationRecord, now: Date = new Date()): OperationState {
  if (operation.state !== 'running') return operation.state;
  const lease = operation.leaseUntil ? Date.parse(operation.leaseUntil) : Number.NaN;
  return Number.isFinite(lease) && lease > now.getTime() ? 'running' : 'interrupted';
}
