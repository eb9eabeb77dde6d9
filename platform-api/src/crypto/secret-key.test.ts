import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PlatformConfigError } from './config-error.ts';
import { loadSecretKey } from './secret-key.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'secret-key-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function configError(action: () => unknown): PlatformConfigError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(PlatformConfigError);
    return error as PlatformConfigError;
  }
  throw new Error('expected a PlatformConfigError');
}

const posix = process.platform !== 'win32';

describe('loadSecretKey', () => {
  const key = randomBytes(32);

  it.each([
    ['base64', key.toString('base64')],
    ['base64url', key.toString('base64url')],
    ['hex', key.toString('hex')],
    ['upper-case hex', key.toString('hex').toUpperCase()],
  ])('reads AIRSUITE_SECRET_KEY as %s', (_encoding, value) => {
    const dataDir = tempDir();
    expect(loadSecretKey({ env: { AIRSUITE_SECRET_KEY: value }, dataDir }).equals(key)).toBe(true);
    expect(() => statSync(join(dataDir, 'secret.key'))).toThrow(); // no file when the env is set
  });

  it.each([
    ['too short', randomBytes(16).toString('base64')],
    ['too long', randomBytes(48).toString('base64')],
    ['63 hex characters', key.toString('hex').slice(1)],
    ['not base64', 'this is not a key at all!'],
  ])('refuses a bad AIRSUITE_SECRET_KEY (%s)', (_why, value) => {
    const error = configError(() =>
      loadSecretKey({ env: { AIRSUITE_SECRET_KEY: value }, dataDir: tempDir() }),
    );
    expect(error.code).toBe('PLATFORM_INVALID_SECRET_KEY');
    expect(error.message).not.toContain(value);
  });

  it('creates <dataDir>/secret.key once, mode 0600 in a 0700 directory, then reuses it', () => {
    const dataDir = join(tempDir(), 'data');
    const created: string[] = [];
    const first = loadSecretKey({ env: {}, dataDir, onCreated: (path) => created.push(path) });
    const path = join(dataDir, 'secret.key');
    expect(created).toEqual([path]);
    expect(first).toHaveLength(32);
    expect(Buffer.from(readFileSync(path, 'utf8').trim(), 'base64').equals(first)).toBe(true);
    if (posix) {
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    }
    const second = loadSecretKey({ env: {}, dataDir, onCreated: (p) => created.push(p) });
    expect(second.equals(first)).toBe(true);
    expect(created).toHaveLength(1);
  });

  it.skipIf(!posix)('refuses a key file that group or others can read', () => {
    const dataDir = tempDir();
    const path = join(dataDir, 'secret.key');
    writeFileSync(path, randomBytes(32).toString('base64'));
    chmodSync(path, 0o644);
    const error = configError(() => loadSecretKey({ env: {}, dataDir }));
    expect(error.code).toBe('PLATFORM_INSECURE_SECRET_KEY_FILE');
    expect(error.message).toContain('chmod 600');
  });

  it('refuses a key file that does not hold 32 bytes', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'secret.key'), 'short', { mode: 0o600 });
    expect(configError(() => loadSecretKey({ env: {}, dataDir })).code).toBe('PLATFORM_INVALID_SECRET_KEY');
  });
});
