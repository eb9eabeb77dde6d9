import type { ScriptCall } from './redis-script-call.ts';
import { type Loadable, loadable, SETTLE_SCRIPT } from './redis-scripts.ts';

/** Longest a settle is held back for an admission to travel with. */
const SETTLE_DELAY_MS = 20;

interface PendingSettle {
  logs: string[];
  at: number;
  /** `performance.now()` when the answer came back. */
  answeredAt: number;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Settles held back briefly, to travel with the next admission (one Redis call for both), or
 * sent on their own within SETTLE_DELAY_MS: long before their entries could leave the window.
 */
export interface HeldSettles {
  /** Holds a settle of the entries scored `at` in `logs`; resolves once it has been applied. */
  hold(logs: string[], at: number): Promise<void>;
  /**
   * Runs `script` with every held settle riding along (their logs go after `keys`, their
   * arguments after `args`): they are done once it has run.
   */
  runWith(script: Loadable, keys: string[], args: (string | number)[]): Promise<unknown>;
  /** Sends every held settle now, in one call. */
  flush(): void;
}

/** Settles for one store, sent through its `run`; `ttlMs` is its logs' TTL. */
export function holdSettles(run: ScriptCall, ttlMs: number): HeldSettles {
  const settleScript = loadable(SETTLE_SCRIPT);
  let settles: PendingSettle[] = [];
  let flushTimer: NodeJS.Timeout | undefined;

  /** Takes the held-back settles: their logs go after `keys`, their arguments after `args`. */
  function take(keys: string[], args: (string | number)[]): PendingSettle[] {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    const taken = settles;
    settles = [];
    const sentAt = performance.now();
    args.push(taken.length);
    for (const settle of taken) {
      const agoMicros = Math.max(0, Math.round((sentAt - settle.answeredAt) * 1000));
      args.push(settle.logs.length, settle.at, agoMicros);
      for (const log of settle.logs) keys.push(log);
    }
    return taken;
  }

  async function runWith(script: Loadable, keys: string[], args: (string | number)[]) {
    const riding = take(keys, args);
    try {
      const reply = await run(script, keys, args);
      for (const settle of riding) settle.resolve();
      return reply;
    } catch (error) {
      for (const settle of riding) settle.reject(error);
      throw error;
    }
  }

  function flush(): void {
    if (settles.length === 0) return;
    runWith(settleScript, [], [ttlMs]).catch(() => {});
  }

  function hold(logs: string[], at: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      settles.push({ logs, at, answeredAt: performance.now(), resolve, reject });
      flushTimer ??= setTimeout(flush, SETTLE_DELAY_MS);
    });
  }

  return { hold, runWith, flush };
}
