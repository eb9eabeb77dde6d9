import { GATEWAY_ERRORS, GatewayError, type GatewayErrorCode } from '../errors.ts';

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

function isGatewayCode(value: unknown): value is GatewayErrorCode {
  return typeof value === 'string' && Object.hasOwn(GATEWAY_ERRORS, value);
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

/** What airtable.js rejects with: `AirtableError {error, message, statusCode}`. */
interface AirtableJsError {
  error?: unknown;
  message?: unknown;
  statusCode?: unknown;
}

/**
 * The GatewayError for an airtable.js rejection, when the proxy's own answer was not observed
 * (an external `proxyUrl`). airtable.js keeps Airtable's type only for 404, 422 and unlisted
 * statuses; for 401, 403, 413, 429, 500 and 503 it substitutes its own label (e.g.
 * `TOO_MANY_REQUESTS`), so a billing 429 or a full gateway queue cannot be told apart here and
 * both read as AIRTABLE_RATE_LIMITED.
 */
export function errorFromAirtableJs(error: unknown, write: boolean, token: string): GatewayError {
  if (error instanceof GatewayError) return error;
  const e = (error ?? {}) as AirtableJsError;
  const type = typeof e.error === 'string' ? e.error : undefined;
  const message = typeof e.message === 'string' ? redact(e.message, token) : undefined;
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (isGatewayCode(type)) return new GatewayError(type, { message });
  if (status === undefined) {
    // CONNECTION_ERROR: the proxy could not be reached or the connection broke. A write may
    // have been applied, so it is reported as such rather than as "not sent".
    return new GatewayError(write ? 'GATEWAY_WRITE_OUTCOME_UNKNOWN' : 'GATEWAY_UPSTREAM_UNAVAILABLE', {
      message: write ? undefined : `The gateway proxy could not be reached (${message ?? 'no detail'})`,
    });
  }
  if (status === 429)
    return new GatewayError('AIRTABLE_RATE_LIMITED', { upstreamStatus: 429, airtableType: type });
  return new GatewayError('AIRTABLE_ERROR', {
    message: `Airtable answered ${status}${type ? ` ${type}` : ''}${message ? `: ${message}` : ''}`,
    upstreamStatus: status,
    airtableType: type,
  });
}
