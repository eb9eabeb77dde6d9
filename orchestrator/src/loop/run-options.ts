/** Bounds of one run (one user message and everything it sets off). */
export interface RunLimits {
  /** Model calls per run. Default 8. */
  maxSteps: number;
  /** Wall-clock time per run, approvals' waiting excluded. Default 120 s. */
  maxWallClockMs: number;
  /** Prompt + output tokens one run may spend. Default 200,000. */
  turnTokenBudget: number;
  /** Estimated tokens of history sent with each model call. Default 24,000. */
  historyTokenBudget: number;
  /** A write touching more records than this waits for approval. Default 10. */
  bulkWriteThreshold: number;
  /** A tool result longer than this (JSON characters) is stored and summarised. Default 8,000. */
  maxResultChars: number;
}

export const DEFAULT_RUN_LIMITS: RunLimits = Object.freeze({
  maxSteps: 8,
  maxWallClockMs: 120_000,
  turnTokenBudget: 200_000,
  historyTokenBudget: 24_000,
  bulkWriteThreshold: 10,
  maxResultChars: 8_000,
});

export const SYSTEM_INSTRUCTION = [
  "You are AirSuite, an assistant that works on the user's Airtable data through tools.",
  'Read the base schema (list_bases, describe_base) before querying; use exact field names.',
  'When a tool returns an error, read it and correct your call; do not repeat a call the user denied.',
  "Destructive and bulk changes wait for the user's approval; say what you are about to change.",
  'Answer concisely and cite record names, not ids, unless asked.',
].join(' ');
