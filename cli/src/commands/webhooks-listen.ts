import { CliExit } from '../cli-exit.ts';
import { ConfigError } from '../config-error.ts';
import type { Env } from '../emulator-config.ts';
import type { CliIo } from '../io.ts';
import { followEvents } from '../webhooks/event-stream-client.ts';
import { type ForwardResult, forwardEvent } from '../webhooks/forward-event.ts';
import { ListenError } from '../webhooks/listen-error.ts';
import { type ListenFlags, type ListenSettings, listenSettings } from '../webhooks/listen-settings.ts';
import { newSessionSecret } from '../webhooks/session-signer.ts';

/** Exit codes of `airsuite webhooks listen` besides 0 (Ctrl-C) and 2 (settings, refusals: ConfigError). */
export const LISTEN_EXIT = Object.freeze({ unreachable: 1 });

export interface ListenDeps {
  now?: () => Date;
  /** The session secret (specs); a fresh one otherwise. */
  secret?: string;
}

/** What a failure of the stream means for the person at the terminal, as the exit it ends with. */
function exitFor(error: unknown, settings: ListenSettings): unknown {
  if (!(error instanceof ListenError)) return error;
  if (error.code === 'LISTEN_UNREACHABLE') {
    return new CliExit(
      `${error.message}: is it running (airsuite start, or airsuite platform)? Set --platform-url or AIRSUITE_PLATFORM_URL otherwise`,
      LISTEN_EXIT.unreachable,
    );
  }
  if (error.problemCode === 'AUTH_INVALID_TOKEN' || error.problemCode === 'AUTH_API_KEY_REVOKED') {
    return new ConfigError(`the API key was refused (${error.problemCode}): check AIRSUITE_API_KEY`);
  }
  if (error.problemCode === 'FORBIDDEN') {
    return new ConfigError(`${error.message.replace(/^FORBIDDEN: /, '')}: use a key of an admin or owner`);
  }
  if (error.problemCode === 'WORKSPACE_NOT_FOUND') {
    return new ConfigError(
      `workspace ${settings.workspaceId} is not visible to this API key (a key reaches its own workspace only)`,
    );
  }
  return new ConfigError(`the platform refused: ${error.message}`);
}

/** With no --workspace: the key's own workspace (the caller's only one). */
async function workspaceOf(settings: ListenSettings, io: CliIo): Promise<string> {
  if (settings.workspaceId) return settings.workspaceId;
  let response: Response;
  try {
    response = await io.fetch(`${settings.platformUrl}/v1/workspaces`, {
      headers: { authorization: `Bearer ${settings.apiKey}`, accept: 'application/json' },
    });
  } catch (error) {
    throw new ListenError(
      'LISTEN_UNREACHABLE',
      `cannot reach the platform at ${settings.platformUrl}`,
      undefined,
      {
        cause: error,
      },
    );
  }
  const body = (await response.json().catch(() => ({}))) as {
    code?: string;
    detail?: string;
    workspaces?: { id: string }[];
  };
  if (!response.ok) {
    throw new ListenError(
      'LISTEN_REFUSED',
      `${body.code ?? response.status}: ${body.detail ?? ''}`,
      body.code,
    );
  }
  const [only, ...more] = body.workspaces ?? [];
  if (!only || more.length > 0) {
    throw new ConfigError(
      `pass --workspace: these credentials reach ${(body.workspaces ?? []).length} workspaces`,
    );
  }
  return only.id;
}

const outcome = (result: ForwardResult) => ('status' in result ? String(result.status) : result.error);

/**
 * `airsuite webhooks listen`: forwards the workspace's events to `--forward-to` until Ctrl-C
 * (then resolves), a refusal (ConfigError, exit 2) or a platform never reached (exit 1).
 */
export async function runWebhooksListen(
  flags: ListenFlags,
  io: CliIo,
  env: Env,
  deps: ListenDeps = {},
): Promise<void> {
  const settings = listenSettings(flags, env);
  const now = deps.now ?? (() => new Date());
  const stop = new AbortController();
  void io.waitForShutdown().then(() => stop.abort());
  try {
    const workspaceId = await workspaceOf(settings, io);
    const secret = deps.secret ?? newSessionSecret();
    io.stdout(
      `Your webhook signing secret is ${secret} (this session only; verify the forwarded requests with it)`,
    );
    io.stdout(
      `Forwarding ${settings.events ? settings.events.join(', ') : 'every event'} of ${workspaceId} from ${settings.platformUrl} to ${settings.forwardTo} · Ctrl-C to stop`,
    );
    const events = followEvents({
      platformUrl: settings.platformUrl,
      apiKey: settings.apiKey,
      workspaceId,
      ...(settings.events ? { events: settings.events } : {}),
      signal: stop.signal,
      fetch: io.fetch,
      onStatus(status) {
        if (status.kind === 'connected') io.stdout(`Ready: listening after event ${status.after}`);
        else
          io.stderr(
            `Connection lost (${status.reason}); reconnecting in ${(status.retryMs / 1000).toFixed(1)} s`,
          );
      },
    });
    for await (const event of events) {
      let id = event.seq;
      try {
        id = (JSON.parse(event.body) as { id?: string }).id ?? id;
      } catch {
        // Forwarded as it came; the seq names it in the line.
      }
      const result = await forwardEvent({
        url: settings.forwardTo,
        secret,
        id,
        body: event.body,
        signal: stop.signal,
        fetch: io.fetch,
        now,
      });
      if (stop.signal.aborted) break;
      io.stdout(`${now().toISOString()}  ${event.type}  ${id}  → ${outcome(result)}  (${result.ms} ms)`);
    }
  } catch (error) {
    throw exitFor(error, settings);
  } finally {
    stop.abort();
  }
}
