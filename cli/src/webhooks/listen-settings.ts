import { ConfigError } from '../config-error.ts';
import type { Env } from '../emulator-config.ts';

/** Where `airsuite webhooks listen` finds the platform API when neither --platform-url nor AIRSUITE_PLATFORM_URL is set. */
export const DEFAULT_PLATFORM_URL = 'http://127.0.0.1:8080';

/** The command line of `airsuite webhooks listen`, as Commander parses it. */
export interface ListenFlags {
  forwardTo?: string;
  workspace?: string;
  events?: string;
  platformUrl?: string;
}

export interface ListenSettings {
  /** The platform's origin, without a trailing slash. */
  platformUrl: string;
  apiKey: string;
  /** Where each event is POSTed. */
  forwardTo: string;
  /** Absent: the API key's own workspace (or the caller's only one). */
  workspaceId?: string;
  /** Type patterns (`record.*`, `member.added`); absent: every event. */
  events?: string[];
}

const WORKSPACE_ID = /^wsp_[A-Za-z0-9]{1,64}$/;

function httpUrl(raw: string, setting: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${setting} must be an http(s) URL, got ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${setting} must be an http(s) URL, got ${JSON.stringify(raw)}`);
  }
  return url;
}

/** Flags first, then the environment; a ConfigError (exit 2) that says what to set otherwise. */
export function listenSettings(flags: ListenFlags, env: Env): ListenSettings {
  if (!flags.forwardTo?.trim()) {
    throw new ConfigError(
      '--forward-to is required: the local URL to POST each event to (http://localhost:3000/hooks)',
    );
  }
  const forwardTo = httpUrl(flags.forwardTo.trim(), '--forward-to');
  const platform = httpUrl(
    flags.platformUrl?.trim() || env.AIRSUITE_PLATFORM_URL?.trim() || DEFAULT_PLATFORM_URL,
    '--platform-url / AIRSUITE_PLATFORM_URL',
  );
  const apiKey = env.AIRSUITE_API_KEY?.trim();
  if (!apiKey) {
    throw new ConfigError(
      'no API key: set AIRSUITE_API_KEY (an ask_live_… key of an admin or owner, from the AirSuite platform)',
    );
  }
  if (flags.workspace !== undefined && !WORKSPACE_ID.test(flags.workspace)) {
    throw new ConfigError(
      `--workspace must be a workspace id (wsp_…), got ${JSON.stringify(flags.workspace)}`,
    );
  }
  const events = flags.events
    ?.split(',')
    .map((pattern) => pattern.trim())
    .filter((pattern) => pattern !== '');
  if (events !== undefined && events.length === 0) {
    throw new ConfigError(
      '--events must name at least one event type (record.*, member.added, or * for all)',
    );
  }
  return {
    platformUrl: platform.href.replace(/\/+$/, ''),
    apiKey,
    forwardTo: forwardTo.href,
    ...(flags.workspace !== undefined ? { workspaceId: flags.workspace } : {}),
    ...(events !== undefined ? { events } : {}),
  };
}
