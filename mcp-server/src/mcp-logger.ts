import type { LoggingLevel } from '@modelcontextprotocol/sdk/types.js';
import type { McpRequestExtra } from './tool-context-factory.ts';

const SEVERITY: readonly LoggingLevel[] = [
  'debug',
  'info',
  'notice',
  'warning',
  'error',
  'critical',
  'alert',
  'emergency',
];

/**
 * The minimum level the client asked for (`logging/setLevel`); one per McpServer, and a
 * server serves one connection (stdio, one HTTP session, or one stateless request).
 */
export interface LogLevelGate {
  level: LoggingLevel;
  allows(level: LoggingLevel): boolean;
}

export function createLogLevelGate(initial: LoggingLevel = 'info'): LogLevelGate {
  return {
    level: initial,
    allows(level) {
      return SEVERITY.indexOf(level) >= SEVERITY.indexOf(this.level);
    },
  };
}

/** Sends `notifications/message` on the stream of the request that caused it. */
export function sendLog(
  gate: LogLevelGate,
  extra: Pick<McpRequestExtra, 'sendNotification'>,
  level: LoggingLevel,
  logger: string,
  data: unknown,
): void {
  if (!gate.allows(level)) return;
  extra
    .sendNotification({ method: 'notifications/message', params: { level, logger, data } })
    .catch(() => {});
}
