/**
 * A request target (`/path?query`) made only of characters that WHATWG URL parsing leaves as
 * they are: no dot segments, no leading `//`, nothing it would percent-encode or rewrite
 * (spaces, quotes, `\`, `#`, non-ASCII; `'` in a query). For such a target the URL parser's
 * `pathname` and `search` are the text before and from the first `?`, so it can be split
 * without building a URL. Anything else is left to `new URL`.
 */
const PLAIN_TARGET = /^\/(?!\/)[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*(?:\?[A-Za-z0-9\-._~!$&()*+,;=:@%/?]*)?$/;
/** `.`, `..` and their percent-encoded forms as a whole segment: the URL parser resolves them. */
const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:[/?]|$)/i;

export interface TargetParts {
  /** As `URL.pathname`. */
  path: string;
  /** As `URL.search`: '' when there is no query, or an empty one. */
  search: string;
}

/** The target's path and query, as `new URL(target, origin)` would give them, or undefined when it must be parsed. */
export function splitPlainTarget(target: string): TargetParts | undefined {
  if (!PLAIN_TARGET.test(target) || DOT_SEGMENT.test(target)) return undefined;
  const q = target.indexOf('?');
  if (q < 0) return { path: target, search: '' };
  return { path: target.slice(0, q), search: q === target.length - 1 ? '' : target.slice(q) };
}
