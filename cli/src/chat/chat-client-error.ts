import { codedError } from '@airsuite/airtable-gateway/coded-error';

/**
 * Local failures of the chat client, apart from the orchestrator's own (wire) codes, which
 * ride along in `problem`:
 * - CHAT_CLIENT_UNREACHABLE: no HTTP answer at all (nothing listening, DNS, connection reset).
 * - CHAT_CLIENT_UNAUTHORIZED: 401, the credentials were refused.
 * - CHAT_CLIENT_PROBLEM: any other error answer; `problem` has its code and detail.
 * - CHAT_CLIENT_BAD_RESPONSE: an answer the client cannot read (not JSON, not an event stream).
 */
export type ChatClientErrorCode =
  | 'CHAT_CLIENT_UNREACHABLE'
  | 'CHAT_CLIENT_UNAUTHORIZED'
  | 'CHAT_CLIENT_PROBLEM'
  | 'CHAT_CLIENT_BAD_RESPONSE';

/** An RFC 9457 problem as the orchestrator sends it (`code` is e.g. CHAT_RUN_IN_PROGRESS). */
export interface Problem {
  status: number;
  code: string;
  detail: string;
}

export class ChatClientError extends codedError<ChatClientErrorCode>('ChatClientError') {
  constructor(
    code: ChatClientErrorCode,
    message: string,
    readonly problem?: Problem,
    options?: ErrorOptions,
  ) {
    super(code, message, options);
  }
}

/** Reads an error answer: its problem+json when it has one, else the status alone. */
export async function errorFromResponse(response: Response): Promise<ChatClientError> {
  const text = await response.text().catch(() => '');
  let body: Partial<Problem> = {};
  try {
    body = JSON.parse(text) as Partial<Problem>;
  } catch {
    // Not JSON (a proxy's HTML page…): the status says enough.
  }
  const problem: Problem = {
    status: response.status,
    code: typeof body.code === 'string' ? body.code : `HTTP_${response.status}`,
    detail: typeof body.detail === 'string' ? body.detail : response.statusText || 'no detail',
  };
  const code = response.status === 401 ? 'CHAT_CLIENT_UNAUTHORIZED' : 'CHAT_CLIENT_PROBLEM';
  return new ChatClientError(code, `${problem.code}: ${problem.detail}`, problem);
}
