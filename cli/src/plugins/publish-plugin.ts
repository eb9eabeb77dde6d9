import { createHash, createPrivateKey, sign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { signedMessage } from '@airsuite/platform-api';
import { CliExit } from '../cli-exit.ts';
import { ConfigError } from '../config-error.ts';
import type { Env } from '../emulator-config.ts';
import type { CliIo } from '../io.ts';
import { DEFAULT_PLATFORM_URL } from '../webhooks/listen-settings.ts';

/** The command line of `airsuite plugin publish`, as Commander parses it. */
export interface PublishFlags {
  workspace?: string;
  platformUrl?: string;
  /** Also install it, or move the installed plugin to this version. */
  install?: boolean;
  /** An Ed25519 private key (PEM) to sign with, and the id the workspace trusts it under. */
  signKey?: string;
  keyId?: string;
}

export interface Published {
  name: string;
  version: string;
  sha256: string;
  workspaceId: string;
  /** What happened to the installation, with --install. */
  installed?: 'installed' | 'upgraded' | 'unchanged';
}

interface Target {
  platformUrl: string;
  apiKey: string;
  workspaceId: string;
}

/** A refusal the person can act on (exit 2), or a platform out of reach (exit 1). */
async function ask(io: CliIo, target: Target, method: string, path: string, body?: unknown) {
  let response: Response;
  try {
    response = await io.fetch(`${target.platformUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${target.apiKey}`,
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new CliExit(
      `cannot reach the platform at ${target.platformUrl}: is it running (airsuite start, or airsuite platform)? Set --platform-url or AIRSUITE_PLATFORM_URL otherwise`,
      1,
    );
  }
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  return { status: response.status, ok: response.ok, answer };
}

function refusal(answer: Record<string, unknown>, status: number): ConfigError {
  const code = typeof answer.code === 'string' ? answer.code : String(status);
  const detail = typeof answer.detail === 'string' ? answer.detail : '';
  const hint =
    code === 'AUTH_INVALID_TOKEN' || code === 'AUTH_API_KEY_REVOKED'
      ? ' (check AIRSUITE_API_KEY)'
      : code === 'FORBIDDEN'
        ? ' (publishing needs a key of an admin or owner)'
        : '';
  // An invalid plugin names every problem: one per line reads better than the joined detail.
  if (Array.isArray(answer.problems) && answer.problems.length > 0) {
    const lines = (answer.problems as unknown[]).map((problem) => `\n  - ${String(problem)}`);
    return new ConfigError(`the platform refused the plugin (${code}):${lines.join('')}`);
  }
  return new ConfigError(`the platform refused: ${code}: ${detail}${hint}`);
}

async function readPlugin(dir: string): Promise<{ manifest: Record<string, unknown>; module: Buffer }> {
  const manifestPath = join(dir, 'manifest.json');
  const modulePath = join(dir, 'build', 'plugin.wasm');
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch {
    throw new ConfigError(`no ${manifestPath}: is ${dir} a plugin folder (airsuite plugin new NAME)?`);
  }
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(`${manifestPath} is not JSON: ${(error as Error).message}`);
  }
  let module: Buffer;
  try {
    module = await readFile(modulePath);
  } catch {
    throw new ConfigError(`no ${modulePath}: build the plugin first (airsuite plugin build ${dir})`);
  }
  return { manifest, module };
}

async function signatureOf(flags: PublishFlags, manifest: unknown, sha256: string) {
  if (!flags.signKey) return undefined;
  if (!flags.keyId)
    throw new ConfigError('--sign-key needs --key-id: the id the workspace trusts the key under');
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(await readFile(flags.signKey, 'utf8'));
  } catch {
    throw new ConfigError(`--sign-key ${flags.signKey} is not a readable private key in PEM`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new ConfigError(`--sign-key must be an Ed25519 key, not ${key.asymmetricKeyType}`);
  }
  return {
    key_id: flags.keyId,
    signature: sign(null, signedMessage(sha256, manifest), key).toString('base64'),
  };
}

async function workspaceOf(io: CliIo, target: Omit<Target, 'workspaceId'>, flag?: string): Promise<string> {
  if (flag) return flag;
  const { ok, status, answer } = await ask(io, { ...target, workspaceId: '' }, 'GET', '/v1/workspaces');
  if (!ok) throw refusal(answer, status);
  const workspaces = (answer.workspaces ?? []) as { id: string }[];
  const [only] = workspaces;
  if (!only || workspaces.length > 1) {
    throw new ConfigError(`pass --workspace: these credentials reach ${workspaces.length} workspaces`);
  }
  return only.id;
}

/** Installs the version, or moves the installed plugin to it. */
async function install(io: CliIo, target: Target, name: string, version: string) {
  const base = `/v1/workspaces/${encodeURIComponent(target.workspaceId)}/plugins`;
  const current = await ask(io, target, 'GET', `${base}/${encodeURIComponent(name)}`);
  if (current.status === 404) {
    const created = await ask(io, target, 'POST', base, { name, version });
    if (!created.ok) throw refusal(created.answer, created.status);
    return 'installed' as const;
  }
  if (!current.ok) throw refusal(current.answer, current.status);
  if (current.answer.version === version) return 'unchanged' as const;
  const moved = await ask(io, target, 'PUT', `${base}/${encodeURIComponent(name)}/version`, { version });
  if (!moved.ok) throw refusal(moved.answer, moved.status);
  return 'upgraded' as const;
}

/**
 * `airsuite plugin publish DIR`: uploads DIR/manifest.json and DIR/build/plugin.wasm as a new
 * version (signed with --sign-key when given), and with --install installs it or moves the
 * installed plugin to it. The platform validates; its every problem is printed.
 */
export async function publishPlugin(
  dir: string,
  flags: PublishFlags,
  io: CliIo,
  env: Env,
): Promise<Published> {
  const apiKey = env.AIRSUITE_API_KEY?.trim();
  if (!apiKey) {
    throw new ConfigError('no API key: set AIRSUITE_API_KEY (an ask_live_… key of an admin or owner)');
  }
  const platformUrl = (
    flags.platformUrl?.trim() ||
    env.AIRSUITE_PLATFORM_URL?.trim() ||
    DEFAULT_PLATFORM_URL
  ).replace(/\/+$/, '');
  const folder = resolve(dir);
  const { manifest, module } = await readPlugin(folder);
  const sha256 = createHash('sha256').update(module).digest('hex');
  const signature = await signatureOf(flags, manifest, sha256);
  const workspaceId = await workspaceOf(io, { platformUrl, apiKey }, flags.workspace);
  const target = { platformUrl, apiKey, workspaceId };
  const published = await ask(
    io,
    target,
    'POST',
    `/v1/workspaces/${encodeURIComponent(workspaceId)}/plugin-versions`,
    { manifest, module: module.toString('base64'), ...(signature ? { signature } : {}) },
  );
  if (!published.ok) throw refusal(published.answer, published.status);
  const name = String(manifest.name);
  const version = String(manifest.version);
  return {
    name,
    version,
    sha256,
    workspaceId,
    ...(flags.install ? { installed: await install(io, target, name, version) } : {}),
  };
}
