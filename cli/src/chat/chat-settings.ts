import { ConfigError } from '../config-error.ts';
import type { Env } from '../emulator-config.ts';

/** Where `airsuite chat` looks for the orchestrator when neither --url nor ORCHESTRATOR_URL is set. */
export const DEFAULT_ORCHESTRATOR_URL = 'http://127.0.0.1:8003';

/** The command line of `airsuite chat`, as Commander parses it. */
export interface ChatFlags {
  url?: string;
  apiKey?: string;
  workspace?: string;
  conversation?: string;
  message?: string;
}

export interface ChatSettings {
  /** The orchestrator's origin, without a trailing slash. */
  url: string;
  apiKey: string;
  workspaceId?: string;
  conversationId?: string;
  /** One message to send (non-interactive); the REPL when absent. */
  message?: string;
  /** ANSI colours: only on a terminal, and never with NO_COLOR set (https://no-color.org). */
  colors: boolean;
}

const WORKSPACE_ID = /^wsp_[A-Za-z0-9]{1,64}$/;
const CONVERSATION_ID = /^cnv_[A-Za-z0-9]{1,64}$/;

/** Flags first, then the environment; a ConfigError (exit 2) that says what to set otherwise. */
export function chatSettings(flags: ChatFlags, env: Env, isTTY: boolean): ChatSettings {
  const rawUrl = flags.url?.trim() || env.ORCHESTRATOR_URL?.trim() || DEFAULT_ORCHESTRATOR_URL;
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new ConfigError(`--url / ORCHESTRATOR_URL must be an http(s) URL, got ${JSON.stringify(rawUrl)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`--url / ORCHESTRATOR_URL must be an http(s) URL, got ${JSON.stringify(rawUrl)}`);
  }
  const apiKey = flags.apiKey?.trim() || env.AIRSUITE_API_KEY?.trim();
  if (!apiKey) {
    throw new ConfigError(
      'no API key: set AIRSUITE_API_KEY (an ask_live_… key from the AirSuite platform) or pass --api-key',
    );
  }
  if (flags.workspace !== undefined && !WORKSPACE_ID.test(flags.workspace)) {
    throw new ConfigError(
      `--workspace must be a workspace id (wsp_…), got ${JSON.stringify(flags.workspace)}`,
    );
  }
  if (flags.conversation !== undefined && !CONVERSATION_ID.test(flags.conversation)) {
    throw new ConfigError(
      `--conversation must be a conversation id (cnv_…), got ${JSON.stringify(flags.conversation)}`,
    );
  }
  if (flags.message !== undefined && flags.message.trim() === '') {
    throw new ConfigError('--message must not be empty');
  }
  return {
    url: url.href.replace(/\/+$/, ''),
    apiKey,
    ...(flags.workspace !== undefined ? { workspaceId: flags.workspace } : {}),
    ...(flags.conversation !== undefined ? { conversationId: flags.conversation } : {}),
    ...(flags.message !== undefined ? { message: flags.message } : {}),
    colors: isTTY && !env.NO_COLOR,
  };
}
