import type { Content } from '@google/genai';
import type { RunStatus, StoredEvent } from '../loop/events.ts';

export interface Conversation {
  id: string;
  workspaceId: string;
  actor: { type: 'user' | 'api_key'; id: string };
  title?: string;
  createdAt: string;
  updatedAt: string;
}

export interface StoredTurn {
  seq: number;
  role: 'user' | 'model';
  content: Content;
}

export interface RunRecord {
  id: string;
  conversationId: string;
  workspaceId: string;
  status: RunStatus;
  steps: number;
  promptTokens: number;
  outputTokens: number;
  toolCalls: number;
  errorCode?: string;
  /** A paused run's pending work (see PausedState in the loop). */
  state?: unknown;
  startedAt: string;
  /** Last time the run recorded progress (a step, a pause, a resume). */
  updatedAt: string;
  finishedAt?: string;
}

export interface ApprovalRecord {
  id: string;
  runId: string;
  conversationId: string;
  workspaceId: string;
  callId: string;
  tool: string;
  arguments: Record<string, unknown>;
  reason: string;
  preview?: unknown;
  status: 'pending' | 'approved' | 'denied' | 'edited';
  decisionReason?: string;
  editedArguments?: Record<string, unknown>;
}

export interface UsageTotals {
  runs: number;
  promptTokens: number;
  outputTokens: number;
  toolCalls: number;
}

export type RunTotals = Pick<RunRecord, 'steps' | 'promptTokens' | 'outputTokens' | 'toolCalls'>;

export interface AppendExtras {
  totals?: RunTotals;
  /** With totals: the run ends `completed` (no error, no saved state). */
  completed?: boolean;
  title?: string;
}

/**
 * Where conversations live: PostgreSQL (or PGlite) through the platform's database.
 * Every read names the workspace, so one tenant never sees another's chats.
 */
export interface ChatStore {
  createConversation(input: {
    workspaceId: string;
    actor: Conversation['actor'];
    title?: string;
  }): Promise<Conversation>;
  /** One actor's conversations in these workspaces, most recently active first. */
  listConversations(
    workspaceIds: readonly string[],
    actor: Conversation['actor'],
    limit: number,
  ): Promise<Conversation[]>;
  getConversation(conversationId: string): Promise<Conversation | undefined>;

  history(conversationId: string): Promise<StoredTurn[]>;
  /**
   * Appends turns in order, in one statement with what goes with them: the run's counters
   * (`totals`), the run's end when this turn completes it (`completed`, with totals), and the
   * conversation's title when it has none yet (`title`).
   */
  appendTurns(
    conversationId: string,
    runId: string,
    contents: Content[],
    extras?: AppendExtras,
  ): Promise<void>;

  /** A new running run, or undefined when the conversation already has an open one. */
  startRun(conversationId: string, workspaceId: string): Promise<RunRecord | undefined>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  latestRun(conversationId: string): Promise<RunRecord | undefined>;
  /** The run still running or waiting for approval, if any. */
  openRun(conversationId: string): Promise<RunRecord | undefined>;
  /** Moves a run from one status to another only if it is still in `from`; false when another got there first. */
  transitionRun(runId: string, from: RunStatus, to: RunStatus): Promise<boolean>;
  updateRun(
    runId: string,
    patch: Partial<RunTotals> & { status?: RunStatus; errorCode?: string | null; state?: unknown | null },
  ): Promise<void>;

  /** Stores events whose sequence numbers the caller assigned (one statement for many). */
  appendEvents(runId: string, events: readonly StoredEvent[]): Promise<void>;
  /** The highest stored sequence number of a run's events (0 when none). */
  lastEventSeq(runId: string): Promise<number>;
  eventsAfter(runId: string, afterSeq: number): Promise<StoredEvent[]>;

  createApproval(approval: Omit<ApprovalRecord, 'status'>): Promise<ApprovalRecord>;
  getApproval(approvalId: string): Promise<ApprovalRecord | undefined>;
  approvalsOf(runId: string): Promise<ApprovalRecord[]>;
  /** Only a pending approval can be decided; false when someone else decided first. */
  decideApproval(
    approvalId: string,
    decision: {
      status: 'approved' | 'denied' | 'edited';
      reason?: string;
      editedArguments?: Record<string, unknown>;
      decidedBy: string;
    },
  ): Promise<boolean>;

  saveToolResult(conversationId: string, tool: string, result: unknown): Promise<string>;
  getToolResult(
    conversationId: string,
    handle: string,
  ): Promise<{ tool: string; result: unknown } | undefined>;

  /** Totals of the runs of a workspace since a date, or of one conversation. */
  usage(filter: { workspaceId: string; since: Date } | { conversationId: string }): Promise<UsageTotals>;
  /** Tokens (prompt + output) the workspace's runs used since `since`. */
  tokensUsedSince(workspaceId: string, since: Date): Promise<number>;
  monthlyTokenBudget(workspaceId: string): Promise<number | undefined>;
  setMonthlyTokenBudget(workspaceId: string, budget: number | null): Promise<void>;
  /** The workspace's own Gemini key, sealed by the platform's secret box; undefined when unset. */
  workspaceGeminiKey(workspaceId: string): Promise<string | undefined>;
  setWorkspaceGeminiKey(workspaceId: string, sealed: string | null): Promise<void>;
}
