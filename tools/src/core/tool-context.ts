import type { AirtableGateway } from '@airsuite/airtable-gateway';
import type { SafetyPolicy } from './policy.ts';

export interface ProgressUpdate {
  progress: number;
  total?: number;
  message?: string;
}

/** Who is calling, for audit and (later) per-role catalogues. */
export interface Caller {
  id: string;
  /** e.g. 'owner' | 'admin' | 'editor' | 'viewer' once the platform exists. */
  role?: string;
}

/** Everything a tool handler may use. Built per call by the face serving the catalogue. */
export interface ToolContext {
  /** The only way to Airtable: the gateway's typed client, already bound to the caller's token. */
  airtable: AirtableGateway;
  caller: Caller;
  policy: SafetyPolicy;
  /** Reports progress of long runs (MCP progress notifications); a no-op when nobody listens. */
  progress(update: ProgressUpdate): void;
  signal: AbortSignal;
  /** Structured log lines for the face to forward (MCP logging notifications); never secrets. */
  log(level: 'debug' | 'info' | 'warning' | 'error', message: string, data?: Record<string, unknown>): void;
}
