/**
 * What a run tells whoever watches it (SSE, the web page, the terminal). Every event is
 * persisted with a sequence number, so a client that reconnects resumes where it left off.
 */
export type RunEvent =
  | { type: 'run_started'; run_id: string; conversation_id: string }
  | { type: 'text_delta'; text: string }
  | { type: 'tool_call_started'; call_id: string; name: string; arguments: Record<string, unknown> }
  | {
      type: 'tool_call_finished';
      call_id: string;
      name: string;
      ok: boolean;
      /** A short description of the result (or the error message). */
      summary: string;
      code?: string;
      duration_ms: number;
    }
  | {
      type: 'approval_requested';
      approval_id: string;
      call_id: string;
      name: string;
      arguments: Record<string, unknown>;
      /** Why it needs approval: 'destructive' or 'bulk_write'. */
      reason: string;
      /** For updates and deletes: what would change (the tool's dry run). */
      preview?: unknown;
    }
  | { type: 'approval_decided'; approval_id: string; decision: 'approve' | 'deny' | 'edit'; reason?: string }
  | {
      type: 'usage';
      prompt_tokens: number;
      output_tokens: number;
      total_tokens: number;
      tool_calls: number;
      steps: number;
    }
  | { type: 'done'; status: RunStatus; text: string }
  | { type: 'error'; code: string; message: string };

export type RunStatus = 'running' | 'awaiting_approval' | 'completed' | 'failed' | 'cancelled';

export interface StoredEvent {
  /** `<runId>:<seq>`: the SSE id, and what Last-Event-ID sends back. */
  id: string;
  seq: number;
  event: RunEvent;
}
