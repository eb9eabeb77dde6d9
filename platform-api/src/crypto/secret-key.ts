import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PlatformConfigError } from './config-error.ts';

const KEY_BYTES = 32;
export const SECRET_KEY_ENV = 'AIRSUITE_SECRET_KEY';
export const SECRET_KEY_FILE = 'secret.key';

export interface LoadSecretKeyOptions {
  /** Where AIRSUITE_SECRET_KEY is read from (process.env at the edge, a literal in tests). */
  env: NodeJS.ProcessEnv;
  /** The platform's data directory; holds `secret.key` when the variable is unset. */
  dataDir: string;
  /** Told the path when a new key file was written, so the caller can log "back this up". */
  onCreated?: (path: string) => void;
}

/**
 * The 32-byte master key for the secret box. AIRSUITE_SECRET_KEY wins (base64, base64url or
 * 64 hex characters). Without it, `<dataDir>/secret.key` is used, and made on first start:
 * a self-hosted single node works out of the box, while a cluster sets the variable.
 * Losing the key makes every stored Airtable token and signing key unreadable.
 */
export function loadSecretKey({ env, dataDir, onCreated }: LoadSecretKeyOptions): Buffer {
  const fromEnv = env[SECRET_KEY_ENV]?.trim();
  if (fromEnv) {
    const key = decodeKey(fromEnv);
    if (!key) {
      throw new PlatformConfigError(
        'PLATFORM_INVALID_SECRET_KEY',
        `${SECRET_KEY_ENV} must be 32 random bytes as base64, base64url or 64 hex characters; ` +
          "generate one with: node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64'))\"",
      );
    }
    return key;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, SECRET_KEY_FILE);
  try {
    // 'wx' fails when the file exists, so two processes starting together never overwrite
    // each other's key; the loser reads the winner's below.
    writeFileSync(path, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    onCreated?.(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readKeyFile(path);
}

function readKeyFile(path: string): Buffer {
  // Permission bits mean nothing on Windows; elsewhere a key others can read is a leaked key.
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
    throw new PlatformConfigError(
      'PLATFORM_INSECURE_SECRET_KEY_FILE',
      `${path} can be read by other users; restrict it with: chmod 600 ${path}`,
    );
  }
  const key = decodeKey(readFileSync(path, 'utf8').trim());
  if (!key) {
    throw new PlatformConfigError(
      'PLATFORM_INVALID_SECRET_KEY',
      `${path} does not hold a base64 32-byte key; restore it from your backup or set ${SECRET_KEY_ENV}`,
    );
  }
  return key;
}

/** 64 hex characters, or base64/base64url of exactly 32 bytes; undefined otherwise. */
function decodeKey(text: string): Buffer | undefined {
  // Hex first: 64 hex characters are also valid base64 (of 48 bytes).
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  const key = Buffer.from(text, 'base64');
  return key.length === KEY_BYTES ? key : undefined;
}
