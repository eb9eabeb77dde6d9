import type { AirtableGateway } from '@airsuite/airtable-gateway';
import type { OperationStore, WriteKind } from '../operations/operation-store.ts';
import type { PlatformPort, WorkspaceRole } from './platform-port.ts';
import type { SafetyPolicy } from './policy.ts';
import type { ToolOutcome } from './run-tool.ts';

export interface ProgressUpdate {
  progress: number;
  total?: number;
  message?: string;
}

/** Who is calling, for audit and (later) per-role catalogues. */
export interface Caller {
  id: string;
  /** The caller's role in its workspace; absent in standalone (single-identity) deployments. */
  role?: WorkspaceRole;
  /** The workspace the call runs in, when the platform serves it. */
  workspaceId?: string;
}

/** One ended call, as `ToolContext.onOutcome` hears of it. */
export interface ToolCallReport {
  tool: string;
  outcome: ToolOutcome;
  /** The validated input, or what was sent when it did not validate. */
  input: unknown;
  durationMs: number;
  requestId?: string;
}

/** Everything a tool handler may use. Built per call by the face serving the catalogue. */
/** A multi-record write as the write guards see it, before anything is sent. */
export interface GuardedWrite {
  tool: string;
  kind: WriteKind;
  baseId: string;
  tableId: string;
  /** As the tool would send them: `{ fields }` to create, `{ id, fields }` to update, record ids to delete. */
  records: readonly unknown[];
}

export interface ToolContext {
  /** The only way to Airtable: the gateway's typed client, already bound to the caller's token. */
  airtable: AirtableGateway;
  caller: Caller;
  /** The caller's account (platform tools); absent when no platform serves this catalogue. */
  platform?: PlatformPort;
  policy: SafetyPolicy;
  /**
   * Where multi-record writes are recorded as operations (idempotency keys, `get_operation`):
   * the platform's database, or memory in a standalone server. Absent in bare test rigs.
   */
  operations?: OperationStore;
  /** Reports progress of long runs (MCP progress notifications); a no-op when nobody listens. */
  progress(update: ProgressUpdate): void;
  signal: AbortSignal;
  /** Correlates this call's logs and audit row with the request that carried it. */
  requestId?: string;
  /**
   * Told once when the call has ended, however it ended (refused, invalid input, failed,
   * succeeded): the platform's audit trail. A failure here never changes the call's outcome.
   */
  onOutcome?(report: ToolCallReport): Promise<void>;
  /**
   * The workspace's write guards (plugins' before_write hooks), asked before a write is sent:
   * they may let it through, change its records (same records, same order) or refuse it by
   * throwing a ToolError whose message the model reads. Absent where no platform serves tools.
   */
  beforeWrite?(write: GuardedWrite): Promise<{ records?: unknown[] }>;
  /** Structured log lines for the face to forward (MCP logging notifications); never secrets. */
  log(level: 'debug' | 'info' | 'warning' | 'error', message: string, data?: Record<string, unknown>): void;
}
