import { GatewayError } from '../errors.ts';

/** Airtable's error envelope, either `{error: {type, message}}` or the bare `{error: "NOT_FOUND"}`. */
export interface AirtableErrorBody {
  type?: string;
  message?: string;
}

export function parseErrorBody(body: string): AirtableErrorBody {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === 'string') return { type: parsed.error };
    if (parsed.error && typeof parsed.error === 'object') {
      const { type, message } = parsed.error as { type?: unknown; message?: unknown };
      return {
        type: typeof type === 'string' ? type : undefined,
        message: typeof message === 'string' ? message : undefined,
      };
    }
  } catch {
    // Not JSON: nothing more to say than the status.
  }
  return {};
}

/** Replaces the token wherever it appears, so no message can carry it. */
export function redact(text: string, token: string): string {
  return token ? text.split(token).join('[token]') : text;
}

/**
 * The GatewayError for an error answer of Airtable's (status ≥ 400) as the engine passed it
 * on: a billing 429 → AIRTABLE_BILLING_LIMIT, any other 429 (Airtable kept refusing after the
 * gateway's retries) → AIRTABLE_RATE_LIMITED, everything else → AIRTABLE_ERROR, each with
 * Airtable's status and error type.
 */
export function errorFromAnswer(status: number, body: string, token: string): GatewayError {
  const { type, message } = parseErrorBody(body);
  const said = message ? `: ${redact(message, token)}` : '';
  if (status === 429) {
    const code =
      type === 'PUBLIC_API_BILLING_LIMIT_EXCEEDED' ? 'AIRTABLE_BILLING_LIMIT' : 'AIRTABLE_RATE_LIMITED';
    return new GatewayError(code, { upstreamStatus: 429, airtableType: type });
  }
  return new GatewayError('AIRTABLE_ERROR', {
    message: `Airtable answered ${status}${type ? ` ${type}` : ''}${said}`,
    upstreamStatus: status,
    airtableType: type,
  });
}
