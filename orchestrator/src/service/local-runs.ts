import { ChatError } from '../loop/errors.ts';
import type { RunRecord } from '../store/chat-store.ts';

/** The runs executing in this process, one per conversation, each with the abort that cancels it. */
export function createLocalRuns() {
  const running = new Map<string, AbortController>();
  return {
    /** Runs `work` with an abort controller registered for `abort`, until it settles. */
    async track(conversationId: string, work: (signal: AbortSignal) => Promise<RunRecord>) {
      const controller = new AbortController();
      running.set(conversationId, controller);
      try {
        return await work(controller.signal);
      } finally {
        if (running.get(conversationId) === controller) running.delete(conversationId);
      }
    },
    /** Cancels the conversation's run if it runs here; false when it does not. */
    abort(conversationId: string): boolean {
      const controller = running.get(conversationId);
      controller?.abort(new ChatError('CHAT_CANCELLED', 'cancelled by the user'));
      return controller !== undefined;
    },
    isRunning: (conversationId: string) => running.has(conversationId),
  };
}
