import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';
import { PluginError } from './plugin-error.ts';

/**
 * What a plugin's Ed25519 signature covers: the module's SHA-256 and the manifest's canonical
 * JSON (keys sorted at every level, no spaces), under a domain tag, so neither can be swapped
 * without breaking it and the signature means nothing outside AirSuite plugins.
 */
export function signedMessage(sha256: string, manifest: unknown): Buffer {
  const manifestHash = createHash('sha256').update(canonicalJson(manifest)).digest('hex');
  return Buffer.from(`airsuite-plugin-v1\n${sha256}\n${manifestHash}\n`);
}

/** JSON with object keys sorted, so the same manifest always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** An Ed25519 public key from base64 SPKI DER (what `crypto.generateKeyPairSync('ed25519')` exports). */
export function parsePublicKey(base64: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(base64, 'base64'), format: 'der', type: 'spki' });
  } catch {
    throw new PluginError(
      'PLUGIN_SIGNATURE_INVALID',
      'the public key is not an Ed25519 key in base64 SPKI DER',
    );
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new PluginError(
      'PLUGIN_SIGNATURE_INVALID',
      `the public key is ${key.asymmetricKeyType}, not Ed25519`,
    );
  }
  return key;
}

export interface TrustedKey {
  id: string;
  publicKey: string;
}

/**
 * The trusted key that made `signature` (base64) over the plugin, or a PluginError:
 * PLUGIN_SIGNATURE_INVALID when it names no trusted key or does not verify.
 */
export function verifySignature(
  signature: { keyId: string; signature: string },
  sha256: string,
  manifest: unknown,
  trusted: readonly TrustedKey[],
): TrustedKey {
  const key = trusted.find((k) => k.id === signature.keyId);
  if (!key) {
    throw new PluginError(
      'PLUGIN_SIGNATURE_INVALID',
      `the signing key "${signature.keyId}" is not trusted by this workspace`,
    );
  }
  const ok = verify(
    null,
    signedMessage(sha256, manifest),
    parsePublicKey(key.publicKey),
    Buffer.from(signature.signature, 'base64'),
  );
  if (!ok)
    throw new PluginError(
      'PLUGIN_SIGNATURE_INVALID',
      'the signature does not match this module and manifest',
    );
  return key;
}
