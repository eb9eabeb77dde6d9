import { createRequire } from 'node:module';
import type { Redis, Command as RedisCommand } from 'ioredis';
import { LimitsError } from './errors.ts';
import type { Loadable } from './redis-scripts.ts';

/** One call of a script with these keys and arguments; resolves to the script's reply. */
export type ScriptCall = (script: Loadable, keys: string[], args: (string | number)[]) => Promise<unknown>;

/**
 * ioredis's Command class, loaded with the first store: a value import here would load ioredis
 * in every gateway, and one without REDIS_URL never should (see shared-state.ts).
 */
let loadedCommand: typeof RedisCommand | undefined;
function commandClass(): typeof RedisCommand {
  if (!loadedCommand) {
    const require = createRequire(import.meta.url);
    loadedCommand = (require('ioredis') as typeof import('ioredis')).Command;
  }
  return loadedCommand;
}

/**
 * Calls scripts on `redis`, by SHA, and by body when Redis does not know the SHA. Failures
 * reject with `LIMITS_STORE_FAILED` (the cause attached).
 */
export function scriptCaller(redis: Redis): ScriptCall {
  const Command = commandClass();

  /**
   * Sends one script call. Straight to the connection, past ioredis's auto-pipelining: an
   * admission already carries its settles, and a pipeline built for one call costs about as
   * much again as the call itself. Calls still reach Redis in the order they are made.
   */
  function send(name: 'evalsha' | 'eval', args: (string | number)[]): Promise<unknown> {
    const command = new Command(name, args, {
      keyPrefix: redis.options.keyPrefix,
      replyEncoding: 'utf8',
      errorStack: redis.options.showFriendlyErrorStack ? new Error() : undefined,
    });
    redis.sendCommand(command);
    return command.promise;
  }

  return async (script, keys, args) => {
    try {
      try {
        return await send('evalsha', [script.sha, keys.length, ...keys, ...args]);
      } catch (error) {
        if (!String((error as Error | undefined)?.message).includes('NOSCRIPT')) throw error;
        // Redis restarted or flushed its script cache: send the body, which reloads it.
        return await send('eval', [script.body, keys.length, ...keys, ...args]);
      }
    } catch (error) {
      throw new LimitsError('LIMITS_STORE_FAILED', { cause: error });
    }
  };
}
