import { errors, type JWTVerifyGetKey, jwtVerify, SignJWT } from 'jose';
import { randomToken } from '../crypto/opaque-token.ts';
import { PlatformError } from '../errors.ts';
import { SIGNING_ALGORITHM, type SigningKeyRing } from './signing-keys.ts';
import { createVerifiedTokenCache } from './verified-token-cache.ts';

export const ACCESS_TOKEN_TYPE = 'at+jwt';
/** 15 minutes: short enough that a revoked session's tokens die soon (ASVS 7.4.1). */
export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 900;
// Ours are ~400 bytes; anything far larger is junk we need not even parse.
const MAX_TOKEN_LENGTH = 4096;

export interface AccessTokenClaims {
  userId: string;
  sessionId: string;
  jti: string;
  expiresAt: Date;
}

export interface AccessTokens {
  issue(subject: { userId: string; sessionId: string }): Promise<{ token: string; expiresIn: number }>;
  /**
   * The claims of a token we signed and that has not expired. Throws AUTH_TOKEN_EXPIRED for
   * an expired one and AUTH_INVALID_TOKEN for anything else. Says nothing about whether the
   * session was revoked since: the caller checks that.
   */
  verify(token: string): Promise<AccessTokenClaims>;
}

export interface AccessTokensOptions {
  keyRing: SigningKeyRing;
  /** `iss`, e.g. the public base URL. */
  issuer: string;
  /** `aud`; a token for another audience is refused. */
  audience: string;
  ttlSeconds?: number;
  now?: () => Date;
  /** How many verified tokens to remember (see createVerifiedTokenCache). */
  cacheSize?: number;
}

const invalid = () => new PlatformError('AUTH_INVALID_TOKEN', 'the access token is not valid');

/**
 * Short-lived EdDSA access JWTs (`typ: at+jwt`, RFC 9068 style). Verification pins the
 * algorithm, the type, the issuer and the audience, and takes keys only from our key ring
 * by kid: `jku`, `jwk` and `x5u` headers are never looked at (ASVS 9.1.2, 9.1.3, 9.2.2).
 */
export function createAccessTokens(options: AccessTokensOptions): AccessTokens {
  const { keyRing, issuer, audience } = options;
  const ttlSeconds = options.ttlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS;
  const now = options.now ?? (() => new Date());
  const cache = createVerifiedTokenCache<AccessTokenClaims>(options.cacheSize);

  const getKey: JWTVerifyGetKey = async (header) => {
    const key = typeof header.kid === 'string' ? await keyRing.verificationKey(header.kid) : undefined;
    // jose passes what key resolution throws through unchanged, so this reaches the caller as it is.
    if (!key) throw invalid();
    return key;
  };

  return {
    async issue({ userId, sessionId }) {
      const { kid, privateKey } = await keyRing.current();
      const issuedAt = Math.floor(now().getTime() / 1000);
      const token = await new SignJWT({ sid: sessionId })
        .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid, typ: ACCESS_TOKEN_TYPE })
        .setSubject(userId)
        .setJti(randomToken(16))
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + ttlSeconds)
        .setIssuer(issuer)
        .setAudience(audience)
        .sign(privateKey);
      return { token, expiresIn: ttlSeconds };
    },

    async verify(token) {
      const at = now();
      const cached = cache.get(token, at.getTime());
      if (cached) return { ...cached, expiresAt: new Date(cached.expiresAt) };
      if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) throw invalid();
      let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
      try {
        ({ payload } = await jwtVerify(token, getKey, {
          algorithms: [SIGNING_ALGORITHM],
          typ: ACCESS_TOKEN_TYPE,
          issuer,
          audience,
          currentDate: at,
          requiredClaims: ['sub', 'sid', 'jti', 'iat', 'exp'],
        }));
      } catch (error) {
        // jose reports `exp` only once the signature checked out, so this is really ours.
        if (error instanceof errors.JWTExpired) {
          throw new PlatformError('AUTH_TOKEN_EXPIRED', 'the access token has expired; refresh it');
        }
        if (error instanceof errors.JOSEError) throw invalid();
        throw error; // e.g. the database is down while loading keys: not the client's fault
      }
      const { sub, sid, jti, exp } = payload;
      if (
        typeof sub !== 'string' ||
        typeof sid !== 'string' ||
        typeof jti !== 'string' ||
        exp === undefined
      ) {
        throw invalid();
      }
      const claims: AccessTokenClaims = { userId: sub, sessionId: sid, jti, expiresAt: new Date(exp * 1000) };
      cache.set(token, { ...claims }, exp * 1000);
      return claims;
    },
  };
}
