/** How urgent a request is: an interactive tool call goes ahead of a bulk import. */
export type Priority = 'interactive' | 'normal' | 'bulk';

export const PRIORITIES: readonly Priority[] = ['interactive', 'normal', 'bulk'];

/** One Airtable API call as the gateway receives it (from the proxy or an in-process client). */
export interface GatewayRequest {
  method: string;
  /** The path, starting with `/v0/`. */
  path: string;
  /** The raw query string including `?`, or ''. */
  search: string;
  /** The caller's Airtable token (forwarded upstream, never logged). */
  token: string;
  body?: string;
  /** Headers to forward upstream (content-type, user agents); authorization comes from `token`. */
  headers?: Record<string, string>;
  priority?: Priority;
  /** May this read be answered from the record cache (a few seconds old at most)? Default false. */
  allowCache?: boolean;
  /**
   * A schema read that must not be answered from the schema cache (a table or field the
   * caller expected is missing: it may have been created elsewhere since). Read upstream,
   * and the answer refills the cache; concurrent fresh reads share one upstream call, and
   * within `SCHEMA_REFRESH_INTERVAL_MS` of a fresh read the cache answers the next ones.
   */
  fresh?: boolean;
  signal?: AbortSignal;
  requestId?: string;
}

/** Airtable's answer, passed back unchanged. */
export interface GatewayResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Where the answer came from: one upstream call, a merged identical call, or the cache. */
  source: 'upstream' | 'coalesced' | 'cache';
}
