import { signForward } from './session-signer.ts';

/** A local server that does not answer in this long is reported as timed out (as endpoints are). */
export const FORWARD_TIMEOUT_MS = 15_000;

export type ForwardResult = { ms: number } & ({ status: number } | { error: string });

/**
 * POSTs one event to the local URL as a webhook endpoint would receive it: the envelope text
 * unchanged, `content-type: application/json`, and the Standard Webhooks headers signed with
 * the session secret (`webhook-id` is the event's id). Redirects are not followed. Never
 * throws: what happened is the result.
 */
export async function forwardEvent(input: {
  url: string;
  secret: string;
  id: string;
  body: string;
  signal: AbortSignal;
  fetch?: typeof fetch;
  now?: () => Date;
  timeoutMs?: number;
}): Promise<ForwardResult> {
  const doFetch = input.fetch ?? fetch;
  const at = (input.now ?? (() => new Date()))();
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await doFetch(input.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'airsuite-webhooks-listen',
        ...signForward({ id: input.id, at, body: input.body, secret: input.secret }),
      },
      body: input.body,
      redirect: 'manual',
      signal: AbortSignal.any([input.signal, AbortSignal.timeout(input.timeoutMs ?? FORWARD_TIMEOUT_MS)]),
    });
    // Read the answer so the connection can be kept alive for the next event.
    await response.arrayBuffer().catch(() => {});
    return { status: response.status, ms: elapsed() };
  } catch (error) {
    return { error: describe(error), ms: elapsed() };
  }
}

function describe(error: unknown): string {
  const { name, cause } = error as { name?: string; cause?: { code?: string; message?: string } };
  if (name === 'TimeoutError') return 'timed out';
  if (name === 'AbortError') return 'cancelled';
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}
