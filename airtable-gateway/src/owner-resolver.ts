import { createHash } from 'node:crypto';
import { Coalescer } from './cache/coalescer.ts';

/** A stable, non-reversible name for a token, safe to use as a key or in logs. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 32);
}

interface CachedOwner {
  ownerKey: string;
  expiresAt: number;
}

/** When whoami cannot say, budget the token on its own, and ask again soon. */
const UNRESOLVED_TTL_MS = 10_000;

/**
 * Maps a token to the owner whose 50 req/s budget it spends (Airtable counts per user or
 * service account, not per token). Asks whoami once per token and caches the answer keyed
 * by the token's hash, never the token itself.
 */
export class OwnerResolver {
  readonly #cache = new Map<string, CachedOwner>();
  readonly #inFlight = new Coalescer<string>();

  constructor(
    /** Calls whoami with the token; resolves the user id, or undefined when Airtable will not say. */
    private readonly whoami: (token: string, hash: string) => Promise<string | undefined>,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async ownerKey(token: string): Promise<string> {
    const hash = tokenHash(token);
    const cached = this.#cache.get(hash);
    if (cached && cached.expiresAt > this.now()) return cached.ownerKey;
    return this.#inFlight.run(hash, async () => {
      let userId: string | undefined;
      try {
        userId = await this.whoami(token, hash);
      } catch {
        userId = undefined;
      }
      const ownerKey = userId ? `owner:${userId}` : `owner:token-${hash}`;
      this.#cache.set(hash, { ownerKey, expiresAt: this.now() + (userId ? this.ttlMs : UNRESOLVED_TTL_MS) });
      return ownerKey;
    }).promise;
  }
}
