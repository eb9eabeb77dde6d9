import type { Database } from '@airsuite/platform-api';

export const CANCEL_CHANNEL = 'airsuite_chat_cancel';

/**
 * Reaches the process that runs a conversation's answer, wherever the cancel request
 * arrived: behind a load balancer the two are often different.
 */
export interface CancelBus {
  publish(conversationId: string): Promise<void>;
  /** Returns the unsubscribe. */
  subscribe(onCancel: (conversationId: string) => void): Promise<() => Promise<void>>;
}

/** Postgres NOTIFY/LISTEN (PGlite in one process): every chat process hears every cancel. */
export function pgCancelBus(db: Database): CancelBus {
  return {
    publish: (conversationId) => db.notify(CANCEL_CHANNEL, conversationId),
    subscribe: (onCancel) => db.listen(CANCEL_CHANNEL, onCancel),
  };
}
