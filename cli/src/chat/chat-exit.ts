import { CliExit } from '../cli-exit.ts';

/** Exit codes of `airsuite chat` besides 0 (answered) and 2 (bad settings, refused API key). */
export const CHAT_EXIT = Object.freeze({
  /** The orchestrator could not be reached, refused the request, or the run failed or was cancelled. */
  failed: 1,
  /** A one-shot message stopped at an approval (decide it interactively with --conversation). */
  awaitingApproval: 3,
});

/** Ends `airsuite chat` with a message for stderr and one of its exit codes. */
export class ChatExit extends CliExit {
  constructor(message: string, exitCode: (typeof CHAT_EXIT)[keyof typeof CHAT_EXIT]) {
    super(message, exitCode);
  }
}
