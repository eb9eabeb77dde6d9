import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { newId } from '../crypto/opaque-token.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Database, Queryable } from '../db/database.ts';

export const SIGNING_ALGORITHM = 'EdDSA';
const DAY_MS = 24 * 60 * 60 * 1000;
/** A new signing key every 30 days… */
export const DEFAULT_ROTATE_AFTER_MS = 30 * DAY_MS;
/** …and the old one keeps verifying for 60 more (far longer than any access token lives). */
export const DEFAULT_VERIFY_FOR_MS = 60 * DAY_MS;
/** How stale this process's view of the keys may get (rotations and retirements elsewhere). */
const DEFAULT_RECHECK_MS = 60_000;
/** Unknown kids reload from the database at most this often, so junk tokens cannot flood it. */
const DEFAULT_RELOAD_COOLDOWN_MS = 1_000;

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
}

export interface PublicJwk extends JWK {
  kid: string;
  alg: typeof SIGNING_ALGORITHM;
  use: 'sig';
}

export interface SigningKeyRing {
  /** The key to sign with now; made on first use and rotated when older than `rotateAfterMs`. */
  current(): Promise<SigningKey>;
  /** Retires the active key now (it still verifies for `verifyForMs`) and returns its successor. */
  rotate(): Promise<SigningKey>;
  /** The public key for `kid` if it is one of ours and not expired; undefined otherwise. */
  verificationKey(kid: string): Promise<CryptoKey | undefined>;
  /** Every public key that still verifies, for `/.well-known/jwks.json`. */
  jwks(): Promise<{ keys: PublicJwk[] }>;
}

export interface SigningKeyRingOptions {
  db: Database;
  /** Seals the private JWKs at rest (AAD = kid). */
  secretBox: SecretBox;
  now?: () => Date;
  rotateAfterMs?: number;
  /** How long a retired key still verifies, counted from its retirement. */
  verifyForMs?: number;
  recheckMs?: number;
  reloadCooldownMs?: number;
}

interface KeyRow {
  kid: string;
  public_jwk: JWK;
  private_jwk_ciphertext: string;
  created_at: Date | string;
  expires_at: Date | string | null;
}

const COLUMNS = 'kid, public_jwk, private_jwk_ciphertext, created_at, expires_at';
const time = (value: Date | string): number => new Date(value).getTime();
const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Ed25519 keys that sign access tokens, kept in `signing_keys` so that every process of a
 * cluster signs and verifies with the same set. At most one key is active (retired_at IS
 * NULL); creating a key and retiring its predecessor happen in one transaction under a table
 * lock, so two processes that find the active key too old rotate it once, not twice.
 */
export function createSigningKeyRing(options: SigningKeyRingOptions): SigningKeyRing {
  const { db, secretBox } = options;
  const now = options.now ?? (() => new Date());
  const rotateAfterMs = options.rotateAfterMs ?? DEFAULT_ROTATE_AFTER_MS;
  const verifyForMs = options.verifyForMs ?? DEFAULT_VERIFY_FOR_MS;
  const recheckMs = options.recheckMs ?? DEFAULT_RECHECK_MS;
  const reloadCooldownMs = options.reloadCooldownMs ?? DEFAULT_RELOAD_COOLDOWN_MS;

  let active: { key: SigningKey; createdAt: number; checkedAt: number } | undefined;
  let activating: Promise<SigningKey> | undefined;
  const verifiers = new Map<string, { key: CryptoKey; expiresAt: number | null }>();
  let loadedAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | undefined;

  const isFresh = (row: KeyRow, at: number) => at - time(row.created_at) < rotateAfterMs;

  async function adopt(row: KeyRow, at: number): Promise<SigningKey> {
    const key =
      active?.key.kid === row.kid
        ? active.key
        : {
            kid: row.kid,
            privateKey: (await importJWK(
              JSON.parse(secretBox.open(row.private_jwk_ciphertext, row.kid)) as JWK,
              SIGNING_ALGORITHM,
            )) as CryptoKey,
          };
    active = { key, createdAt: time(row.created_at), checkedAt: at };
    // Tokens we are about to sign must verify here without waiting for a reload.
    if (!verifiers.has(row.kid)) {
      const publicKey = (await importJWK(row.public_jwk, SIGNING_ALGORITHM)) as CryptoKey;
      verifiers.set(row.kid, {
        key: publicKey,
        expiresAt: row.expires_at === null ? null : time(row.expires_at),
      });
    }
    return key;
  }

  async function readActive(q: Queryable): Promise<KeyRow | undefined> {
    const rows = await q.query<KeyRow>(
      `SELECT ${COLUMNS} FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1`,
    );
    return rows[0];
  }

  async function insertKey(q: Queryable, at: number): Promise<KeyRow> {
    const kid = newId('sk');
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALGORITHM, {
      crv: 'Ed25519',
      extractable: true,
    });
    const publicJwk: PublicJwk = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALGORITHM, use: 'sig' };
    const sealed = secretBox.seal(JSON.stringify(await exportJWK(privateKey)), kid);
    const [row] = await q.query<KeyRow>(
      `INSERT INTO signing_keys (kid, algorithm, public_jwk, private_jwk_ciphertext, created_at)
       VALUES ($1, $2, $3::jsonb, $4, $5::timestamptz) RETURNING ${COLUMNS}`,
      [kid, SIGNING_ALGORITHM, JSON.stringify(publicJwk), sealed, iso(at)],
    );
    return row!;
  }

  /** Returns a fresh active key, making one (and retiring the old) when needed or forced. */
  async function activate(force: boolean): Promise<SigningKey> {
    const at = now().getTime();
    if (!force) {
      const row = await readActive(db);
      if (row && isFresh(row, at)) return adopt(row, at);
    }
    const row = await db.transaction(async (tx) => {
      // Blocks other writers of the table (not readers) until commit; whoever waited then
      // re-reads and finds the key the first one made.
      await tx.query('LOCK TABLE signing_keys IN SHARE ROW EXCLUSIVE MODE');
      if (!force) {
        const current = await readActive(tx);
        if (current && isFresh(current, at)) return current;
      }
      await tx.query('DELETE FROM signing_keys WHERE expires_at <= $1::timestamptz', [iso(at)]);
      const created = await insertKey(tx, at);
      await tx.query(
        `UPDATE signing_keys SET retired_at = $2::timestamptz, expires_at = $3::timestamptz
         WHERE retired_at IS NULL AND kid <> $1`,
        [created.kid, iso(at), iso(at + verifyForMs)],
      );
      return created;
    });
    // Mirror the retirement in our cache now rather than at the next reload.
    for (const [kid, entry] of verifiers) {
      if (kid !== row.kid && entry.expiresAt === null) entry.expiresAt = at + verifyForMs;
    }
    return adopt(row, at);
  }

  async function reload(): Promise<void> {
    const at = now().getTime();
    const rows = await db.query<KeyRow>(
      `SELECT ${COLUMNS} FROM signing_keys WHERE expires_at IS NULL OR expires_at > $1::timestamptz`,
      [iso(at)],
    );
    const next = new Map<string, { key: CryptoKey; expiresAt: number | null }>();
    for (const row of rows) {
      const key =
        verifiers.get(row.kid)?.key ?? ((await importJWK(row.public_jwk, SIGNING_ALGORITHM)) as CryptoKey);
      next.set(row.kid, { key, expiresAt: row.expires_at === null ? null : time(row.expires_at) });
    }
    verifiers.clear();
    for (const [kid, entry] of next) verifiers.set(kid, entry);
    loadedAt = at;
  }

  // One reload at a time, however many requests ask for it.
  const reloadOnce = (): Promise<void> => {
    loading ??= reload().finally(() => {
      loading = undefined;
    });
    return loading;
  };

  return {
    current() {
      const at = now().getTime();
      if (active && at - active.createdAt < rotateAfterMs && at - active.checkedAt < recheckMs) {
        return Promise.resolve(active.key);
      }
      activating ??= activate(false).finally(() => {
        activating = undefined;
      });
      return activating;
    },

    rotate: () => activate(true),

    async verificationKey(kid) {
      const at = now().getTime();
      const known = verifiers.has(kid);
      if (!known && at - loadedAt >= reloadCooldownMs) {
        await reloadOnce();
      } else if (known && at - loadedAt >= recheckMs) {
        // Known key, stale view: answer now, refresh in the background (retirements elsewhere).
        reloadOnce().catch(() => {});
      }
      const entry = verifiers.get(kid);
      if (!entry || (entry.expiresAt !== null && entry.expiresAt <= at)) return undefined;
      return entry.key;
    },

    async jwks() {
      const rows = await db.query<Pick<KeyRow, 'kid' | 'public_jwk'>>(
        `SELECT kid, public_jwk FROM signing_keys
         WHERE expires_at IS NULL OR expires_at > $1::timestamptz ORDER BY created_at DESC`,
        [iso(now().getTime())],
      );
      return {
        keys: rows.map(({ kid, public_jwk }) => ({ ...public_jwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' })),
      };
    },
  };
}
