import { codedError } from '@airsuite/airtable-gateway/coded-error';

/** Why the stdio relay cannot go on: nothing to relay to, or the platform refused its key. */
export const MCP_RELAY_ERROR_CODES = ['MCP_RELAY_UNREACHABLE', 'MCP_RELAY_KEY_REFUSED'] as const;

export type McpRelayErrorCode = (typeof MCP_RELAY_ERROR_CODES)[number];

/**
 * The relay's end: one line saying what failed and what to do (never the key itself). Each
 * request of the client is answered with it, and `airsuite mcp` exits with it.
 */
export class McpRelayError extends codedError<McpRelayErrorCode>('McpRelayError') {
  constructor(
    code: McpRelayErrorCode,
    message: string,
    /** The platform's own code for a refused key (AUTH_INVALID_TOKEN, AUTH_API_KEY_REVOKED, …). */
    readonly platformCode?: string,
  ) {
    super(code, message);
  }
}

/** `ECONNREFUSED` from undici's `fetch failed` (its cause), or the error's own code. */
function networkCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** The `code` of the MCP server's refusal: `{error: {data: {code}}}`, else `HTTP <status>`. */
async function refusalCode(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { data?: { code?: unknown } } };
    const code = body.error?.data?.code;
    if (typeof code === 'string') return code;
  } catch {
    // Not the MCP server's JSON: the status says enough.
  }
  return `HTTP ${response.status}`;
}

/**
 * The relay's fetch: the platform not answering, or refusing the key (401/403), becomes an
 * McpRelayError here, the one place that knows the wire, so the SDK transport's nested
 * "Error POSTing to endpoint" never reaches the user.
 */
export function relayFetch(base: typeof fetch, url: URL): typeof fetch {
  return async (input, init) => {
    let response: Response;
    try {
      response = await base(input, init);
    } catch (error) {
      // A request the relay itself aborted (closing) is not the platform's failure.
      if (init?.signal?.aborted) throw error;
      const code = networkCode(error);
      throw new McpRelayError(
        'MCP_RELAY_UNREACHABLE',
        `AirSuite is not running at ${url.href}${code ? ` (${code})` : ''}: start it with \`airsuite start\` (\`npm start\` in a checkout), or set AIRSUITE_MCP_URL to where it runs`,
      );
    }
    if (response.status === 401 || response.status === 403) {
      const code = await refusalCode(response);
      throw new McpRelayError(
        'MCP_RELAY_KEY_REFUSED',
        `the API key was refused by ${url.href} (${code}): check AIRSUITE_API_KEY`,
        code,
      );
    }
    return response;
  };
}
