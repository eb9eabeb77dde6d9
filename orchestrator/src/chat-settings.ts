import { codedError } from '@airsuite/platform-api';
import { DEFAULT_ORCHESTRATOR_PORT } from './http/server.ts';
import type { RunLimits } from './loop/run-options.ts';
import { DEFAULT_GEMINI_MODEL } from './model/gemini-model.ts';

export type Env = Record<string, string | undefined>;

/** The one code of ChatConfigError. */
export type ChatConfigErrorCode = 'CHAT_INVALID_SETTING';

/** A setting the orchestrator cannot start with; the message says which and how to fix it. */
export class ChatConfigError extends codedError<ChatConfigErrorCode>('ChatConfigError') {
  constructor(message: string) {
    super('CHAT_INVALID_SETTING', message);
  }
}

export interface ChatSettings {
  port: number;
  host: string;
  /** GEMINI_API_KEY; chat answers "set GEMINI_API_KEY" without it (or a workspace key). */
  geminiApiKey?: string;
  geminiModel: string;
  /** GEMINI_BASE_URL: passed to the SDK's httpOptions.baseUrl (proxies, gateways, tests). */
  geminiBaseUrl?: string;
  limits: Partial<RunLimits>;
}

function integer(env: Env, name: string, min: number, max: number): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ChatConfigError(
      `${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

/**
 * ORCHESTRATOR_PORT (8003), ORCHESTRATOR_HOST, GEMINI_API_KEY, GEMINI_MODEL
 * (gemini-2.5-flash), GEMINI_BASE_URL, and the run bounds CHAT_MAX_STEPS,
 * CHAT_MAX_SECONDS, CHAT_TURN_TOKEN_BUDGET, CHAT_HISTORY_TOKENS, CHAT_BULK_WRITE_THRESHOLD.
 */
export function chatSettingsFromEnv(env: Env): ChatSettings {
  const baseUrl = env.GEMINI_BASE_URL?.trim();
  if (baseUrl && !/^https?:\/\/\S+$/.test(baseUrl)) {
    throw new ChatConfigError(`GEMINI_BASE_URL must be an http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }
  const model = env.GEMINI_MODEL?.trim() || DEFAULT_GEMINI_MODEL;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(model)) {
    throw new ChatConfigError(
      `GEMINI_MODEL must be a model id like gemini-2.5-flash, got ${JSON.stringify(model)}`,
    );
  }
  const seconds = integer(env, 'CHAT_MAX_SECONDS', 5, 3600);
  const entries: [keyof RunLimits, number | undefined][] = [
    ['maxSteps', integer(env, 'CHAT_MAX_STEPS', 1, 100)],
    ['maxWallClockMs', seconds === undefined ? undefined : seconds * 1000],
    ['turnTokenBudget', integer(env, 'CHAT_TURN_TOKEN_BUDGET', 1000, 10_000_000)],
    ['historyTokenBudget', integer(env, 'CHAT_HISTORY_TOKENS', 1000, 2_000_000)],
    ['bulkWriteThreshold', integer(env, 'CHAT_BULK_WRITE_THRESHOLD', 1, 10_000)],
  ];
  const port = integer(env, 'ORCHESTRATOR_PORT', 0, 65_535) ?? DEFAULT_ORCHESTRATOR_PORT;
  const apiKey = env.GEMINI_API_KEY?.trim();
  return {
    port,
    host: env.ORCHESTRATOR_HOST?.trim() || '127.0.0.1',
    ...(apiKey ? { geminiApiKey: apiKey } : {}),
    geminiModel: model,
    ...(baseUrl ? { geminiBaseUrl: baseUrl.replace(/\/+$/, '') } : {}),
    limits: Object.fromEntries(entries.filter(([, value]) => value !== undefined)) as Partial<RunLimits>,
  };
}
