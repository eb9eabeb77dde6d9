import { codedError } from '@airsuite/airtable-gateway/coded-error';

/**
 * - LISTEN_UNREACHABLE: the platform gave no HTTP answer (nothing listening, DNS, reset).
 * - LISTEN_REFUSED: the platform refused who is asking or what (401 key, 403 role, 404
 *   workspace, 400 unknown event types), at the start or later (a key revoked meanwhile).
 * - LISTEN_BAD_RESPONSE: an answer that is not the event stream.
 */
export type ListenErrorCode = 'LISTEN_UNREACHABLE' | 'LISTEN_REFUSED' | 'LISTEN_BAD_RESPONSE';

export class ListenError extends codedError<ListenErrorCode>('ListenError') {
  constructor(
    code: ListenErrorCode,
    message: string,
    /** The platform's problem code (AUTH_INVALID_TOKEN, FORBIDDEN…), when it said one. */
    readonly problemCode?: string,
    options?: ErrorOptions,
  ) {
    super(code, message, options);
  }
}
