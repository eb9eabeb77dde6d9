import { createHmac } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DEFAULT_PING_RETRY_DELAYS_MS, DEFAULT_PING_TIMEOUT_MS } from '../options.ts';
import type { NotificationResult, WebhookData } from './types.ts';
import type { WebhookStore } from './webhook-store.ts';

/** `X-Airtable-Content-MAC` for a ping body: HMAC-SHA256 keyed by the decoded secret, in hex. */
export function contentMac(macSecretBase64: string, body: string): string {
  return `hmac-sha256=${createHmac('sha256', Buffer.from(macSecretBase64, 'base64')).update(body).digest('hex')}`;
}

export interface NotifierOptions {
  now: () => Date;
  /** Waits before each retry of a failed ping; its length is the number of retries. */
  retryDelaysMs: readonly number[];
  /** A ping not answered within this is a failure. */
  timeoutMs: number;
  /** True while the webhook still exists, is active, has a URL and notifications on. */
  wantsPings: (hook: WebhookData) => boolean;
  /** The hook's notification result changed: save it. */
  changed: () => void;
  log: (message: string) => void;
}

interface PingState {
  inFlight?: Promise<void>;
  /** A payload came while a ping was in flight: one more ping follows it. */
  again: boolean;
  retry?: NodeJS.Timeout;
}

/**
 * Sends Airtable's notification pings. A ping carries no data (the receiver pulls payloads),
 * so they coalesce: at most one in flight per webhook, and any payloads that arrive meanwhile
 * are announced by one ping after it; a pending retry announces them too. Pings run outside
 * the request that made the change, so they never delay or fail it.
 */
export class WebhookNotifier {
  readonly #states = new Map<string, PingState>();
  readonly #closing = new AbortController();

  constructor(private readonly options: NotifierOptions) {}

  notify(hook: WebhookData): void {
    if (this.#closing.signal.aborted || !this.options.wantsPings(hook)) return;
    const state = this.#state(hook.id);
    if (state.inFlight) state.again = true;
    else if (!state.retry) this.#start(hook, state, 0);
  }

  /** Stops pings and pending retries, and waits for those in flight to give up. */
  async close(): Promise<void> {
    this.#closing.abort();
    for (const state of this.#states.values()) clearTimeout(state.retry);
    await Promise.all([...this.#states.values()].map((s) => s.inFlight));
  }

  #state(hookId: string): PingState {
    let state = this.#states.get(hookId);
    if (!state) {
      state = { again: false };
      this.#states.set(hookId, state);
    }
    return state;
  }

  #start(hook: WebhookData, state: PingState, retryNumber: number): void {
    state.again = false;
    state.inFlight = this.#ping(hook, retryNumber)
      .then((success) => this.#after(hook, state, retryNumber, success))
      .catch((error: unknown) => this.options.log(`emulator: webhook ping: ${String(error)}`));
  }

  #after(hook: WebhookData, state: PingState, retryNumber: number, success: boolean): void {
    state.inFlight = undefined;
    if (this.#closing.signal.aborted) return;
    if (!this.options.wantsPings(hook)) {
      this.#states.delete(hook.id);
      return;
    }
    const delay = success ? undefined : this.options.retryDelaysMs[retryNumber];
    if (delay !== undefined) {
      state.retry = setTimeout(() => {
        state.retry = undefined;
        if (this.options.wantsPings(hook)) this.#start(hook, state, retryNumber + 1);
      }, delay);
      state.retry.unref();
    } else if (state.again) this.#start(hook, state, 0);
  }

  /** One POST to the notification URL; its outcome becomes the hook's lastNotificationResult. */
  async #ping(hook: WebhookData, retryNumber: number): Promise<boolean> {
    const body = JSON.stringify({
      base: { id: hook.baseId },
      webhook: { id: hook.id },
      timestamp: this.options.now().toISOString(),
    });
    const started = performance.now();
    let error: string | undefined;
    try {
      const res = await fetch(hook.notificationUrl as string, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-airtable-content-mac': contentMac(hook.macSecretBase64, body),
        },
        body,
        signal: AbortSignal.any([this.#closing.signal, AbortSignal.timeout(this.options.timeoutMs)]),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) error = `The notification URL answered with HTTP status ${res.status}`;
    } catch (cause) {
      if (this.#closing.signal.aborted) return false;
      const code = ((cause as Error).cause as { code?: string } | undefined)?.code;
      error = `Could not deliver the notification: ${code ?? (cause as Error).message}`;
    }
    const result: NotificationResult = {
      success: error === undefined,
      ...(error === undefined ? {} : { error: { message: error } }),
      completionTimestamp: this.options.now().toISOString(),
      durationMs: Math.round((performance.now() - started) * 1000) / 1000,
      retryNumber,
    };
    if (error !== undefined) result.willBeRetried = retryNumber < this.options.retryDelaysMs.length;
    hook.lastNotificationResult = result;
    if (error === undefined) hook.lastSuccessfulNotificationTime = result.completionTimestamp;
    this.options.changed();
    return error === undefined;
  }
}

/** A notifier for a store's webhooks: each new payload asks for a ping. */
export function attachNotifier(
  webhooks: WebhookStore,
  options: Pick<NotifierOptions, 'now' | 'changed' | 'log'> & Partial<NotifierOptions>,
): WebhookNotifier {
  const notifier = new WebhookNotifier({
    ...options,
    retryDelaysMs: options.retryDelaysMs ?? DEFAULT_PING_RETRY_DELAYS_MS,
    timeoutMs: options.timeoutMs ?? DEFAULT_PING_TIMEOUT_MS,
    wantsPings: options.wantsPings ?? ((hook) => webhooks.wantsPings(hook)),
  });
  webhooks.onPayload = (hook) => notifier.notify(hook);
  return notifier;
}
