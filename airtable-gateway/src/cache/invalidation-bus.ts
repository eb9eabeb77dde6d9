import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

export type InvalidationScope = 'records' | 'schema';

export interface Invalidation {
  baseId: string;
  scope: InvalidationScope;
}

/** Tells every gateway (this process and, with Redis, all others) that cached reads of a base are stale. */
export interface InvalidationBus {
  publish(message: Invalidation): void;
  subscribe(listener: (message: Invalidation) => void): void;
  close(): Promise<void>;
}

export function createLocalBus(): InvalidationBus {
  const listeners: ((m: Invalidation) => void)[] = [];
  return {
    publish: (message) => {
      for (const listener of listeners) listener(message);
    },
    subscribe: (listener) => {
      listeners.push(listener);
    },
    close: async () => {},
  };
}

const CHANNEL = 'airsuite:gateway:invalidate';

/**
 * Redis pub/sub: local listeners hear a publish at once; other processes hear it through
 * Redis (their own messages are recognised by origin and not applied twice).
 */
export function createRedisBus(publisher: Redis, onError: (error: Error) => void): InvalidationBus {
  const origin = randomUUID();
  const local = createLocalBus();
  // Subscriptions are re-sent by ioredis after a reconnect, so queue them while offline.
  const subscriber = publisher.duplicate({ lazyConnect: false, enableOfflineQueue: true });
  subscriber.on('error', onError);
  subscriber.subscribe(CHANNEL).catch(onError);
  subscriber.on('message', (_channel: string, raw: string) => {
    try {
      const message = JSON.parse(raw) as Invalidation & { origin: string };
      if (message.origin !== origin) local.publish({ baseId: message.baseId, scope: message.scope });
    } catch (error) {
      onError(error as Error);
    }
  });
  return {
    publish(message) {
      local.publish(message);
      publisher.publish(CHANNEL, JSON.stringify({ ...message, origin })).catch(onError);
    },
    subscribe: local.subscribe,
    async close() {
      subscriber.disconnect();
    },
  };
}
