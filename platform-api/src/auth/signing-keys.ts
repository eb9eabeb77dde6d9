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

/** One key ring's settings and what this process knows of the keys. */
interface RingState {
  db: Database;
  secretBox: SecretBox;
  now: () => Date;
  rotateAfterMs: number;
  verifyForMs: number;
  recheckMs: number;
  reloadCooldownMs: number;
  active: { key: SigningKey; createdAt: number; checkedAt: number } | undefined;
  activating: Promise<SigningKey> | undefined;
  verifiers: Map<string, { key: CryptoKey; expiresAt: number | null }>;
  loadedAt: number;
  loading: Promise<void> | undefined;
}

const isFresh = (ring: RingState, row: KeyRow, at: number) => at - time(row.created_at) < ring.rotateAfterMs;

/** Makes `row` the key this process signs with (and verifies its tokens at once). */
async function adopt(ring: RingState, row: KeyRow, at: number): Promise<SigningKey> {
  const key =
    ring.active?.key.kid === row.kid
      ? ring.active.key
      : {
          kid: row.kid,
          privateKey: (await importJWK(
            JSON.parse(ring.secretBox.open(row.private_jwk_ciphertext, row.kid)) as JWK,
            SIGNING_ALGORITHM,
          )) as CryptoKey,
        };
  ring.active = { key, createdAt: time(row.created_at), checkedAt: at };
  // Tokens we are about to sign must verify here without waiting for a reload.
  if (!ring.verifiers.has(row.kid)) {
    const publicKey = (await importJWK(row.public_jwk, SIGNING_ALGORITHM)) as CryptoKey;
    ring.verifiers.set(row.kid, {
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

async function insertKey(secretBox: SecretBox, q: Queryable, at: number): Promise<KeyRow> {
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

/**
 * The active key row, made fresh (and its predecessor retired) when it is too old or `force`
 * asks, in one transaction under a table lock.
 */
function rotateInDatabase(ring: RingState, at: number, force: boolean): Promise<KeyRow> {
  return ring.db.transaction(async (tx) => {
    // Blocks other writers of the table (not readers) until commit; whoever waited then
    // re-reads and finds the key the first one made.
    await tx.query('LOCK TABLE signing_keys IN SHARE ROW EXCLUSIVE MODE');
    if (!force) {
      const current = await readActive(tx);
      if (current && isFresh(ring, current, at)) return current;
    }
    await tx.query('DELETE FROM signing_keys WHERE expires_at <= $1::timestamptz', [iso(at)]);
    const created = await insertKey(ring.secretBox, tx, at);
    await tx.query(
      `UPDATE signing_keys SET retired_at = $2::timestamptz, expires_at = $3::timestamptz
       WHERE retired_at IS NULL AND kid <> $1`,
      [created.kid, iso(at), iso(at + ring.verifyForMs)],
    );
    return created;
  });
}

/** Returns a fresh active key, making one (and retiring the old) when needed or forced. */
async function activate(ring: RingState, force: boolean): Promise<SigningKey> {
  const at = ring.now().getTime();
  if (!force) {
    const row = await readActive(ring.db);
    if (row && isFresh(ring, row, at)) return adopt(ring, row, at);
  }
  const row = await rotateInDatabase(ring, at, force);
  // Mirror the retirement in our cache now rather than at the next reload.
  for (const [kid, entry] of ring.verifiers) {
    if (kid !== row.kid && entry.expiresAt === null) entry.expiresAt = at + ring.verifyForMs;
  }
  return adopt(ring, row, at);
}

async function reload(ring: RingState): Promise<void> {
  const at = ring.now().getTime();
  const rows = await ring.db.query<KeyRow>(
    `SELECT ${COLUMNS} FROM signing_keys WHERE expires_at IS NULL OR expires_at > $1::timestamptz`,
    [iso(at)],
  );
  const next = new Map<string, { key: CryptoKey; expiresAt: number | null }>();
  for (const row of rows) {
    const key =
      ring.verifiers.get(row.kid)?.key ?? ((await importJWK(row.public_jwk, SIGNING_ALGORITHM)) as CryptoKey);
    next.set(row.kid, { key, expiresAt: row.expires_at === null ? null : time(row.expires_at) });
  }
  ring.verifiers.clear();
  for (const [kid, entry] of next) ring.verifiers.set(kid, entry);
  ring.loadedAt = at;
}

/** One reload at a time, however many requests ask for it. */
function reloadOnce(ring: RingState): Promise<void> {
  ring.loading ??= reload(ring).finally(() => {
    ring.loading = undefined;
  });
  return ring.loading;
}

function current(ring: RingState): Promise<SigningKey> {
  const at = ring.now().getTime();
  const { active } = ring;
  if (active && at - active.createdAt < ring.rotateAfterMs && at - active.checkedAt < ring.recheckMs) {
    return Promise.resolve(active.key);
  }
  ring.activating ??= activate(ring, false).finally(() => {
    ring.activating = undefined;
  });
  return ring.activating;
}

async function verificationKey(ring: RingState, kid: string): Promise<CryptoKey | undefined> {
  const at = ring.now().getTime();
  const known = ring.verifiers.has(kid);
  if (!known && at - ring.loadedAt >= ring.reloadCooldownMs) {
    await reloadOnce(ring);
  } else if (known && at - ring.loadedAt >= ring.recheckMs) {
    // Known key, stale view: answer now, refresh in the background (retirements elsewhere).
    reloadOnce(ring).catch(() => {});
  }
  const entry = ring.verifiers.get(kid);
  if (!entry || (entry.expiresAt !== null && entry.expiresAt <= at)) return undefined;
  return entry.key;
}

async function jwks({ db, now }: RingState): Promise<{ keys: PublicJwk[] }> {
  const rows = await db.query<Pick<KeyRow, 'kid' | 'public_jwk'>>(
    `SELECT kid, public_jwk FROM signing_keys
     WHERE expires_at IS NULL OR expires_at > $1::timestamptz ORDER BY created_at DESC`,
    [iso(now().getTime())],
  );
  return {
    keys: rows.map(({ kid, public_jwk }) => ({ ...public_jwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' })),
  };
}

/**
 * Ed25519 keys that sign access tokens, kept in `signing_keys` so that every process of a
 * cluster signs and verifies with the same set. At most one key is active (retired_at IS
 * NULL); creating a key and retiring its predecessor happen in one transaction under a table
 * lock, so two processes that find the active key too old rotate it once, not twice.
 */
export function createSigningKeyRing(options: SigningKeyRingOptions): SigningKeyRing {
  const ring: RingState = {
    db: options.db,
    secretBox: options.secretBox,
    now: options.now ?? (() => new Date()),
    rotateAfterMs: options.rotateAfterMs ?? DEFAULT_ROTATE_AFTER_MS,
    verifyForMs: options.verifyForMs ?? DEFAULT_VERIFY_FOR_MS,
    recheckMs: options.recheckMs ?? DEFAULT_RECHECK_MS,
    reloadCooldownMs: options.reloadCooldownMs ?? DEFAULT_RELOAD_COOLDOWN_MS,
    active: undefined,
    activating: undefined,
    verifiers: new Map(),
    loadedAt: Number.NEGATIVE_INFINITY,
    loading: undefined,
  };
  return {
    current: () => current(ring),
    rotate: () => activate(ring, true),
    verificationKey: (kid) => verificationKey(ring, kid),
    jwks: () => jwks(ring),
  };
}
