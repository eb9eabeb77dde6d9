import { readFile } from 'node:fs/promises';
import type { EmulatorContext } from './context.ts';
import type { TokenRegistry } from './http/auth.ts';
import { ensureOwner } from './model/default-owner.ts';
import type { EmulatorOptions, SeedOption } from './options.ts';
import { type PersistedState, readState, restoreDetails } from './persistence.ts';
import type { Fixture } from './seed/fixture-schema.ts';
import { loadFixture } from './seed/load-fixture.ts';
import { sampleFixture } from './seed/sample/index.ts';
import { fullAccessGrant, generateToken } from './tokens.ts';

export interface StartingState {
  /** What `dataDir` held, when the bases came from it rather than from the seed. */
  persisted: PersistedState | undefined;
  /** True when the first token was generated for this data. */
  generatedToken: boolean;
}

async function resolveSeed(seed: SeedOption): Promise<Fixture | undefined> {
  if (seed === 'empty') return undefined;
  if (seed === 'sample') return sampleFixture();
  if ('file' in seed && typeof seed.file === 'string')
    return JSON.parse(await readFile(seed.file, 'utf8')) as Fixture;
  return seed as Fixture;
}

/**
 * Fills a new emulator from `dataDir`'s stored state, or else from the seed, then adds the
 * given tokens. Stored state wins over the seed so a restart keeps the user's edits; a token is
 * generated only when none is known, so an emulator is never started that nobody can call.
 */
export async function loadStartingState(
  ctx: EmulatorContext,
  tokens: TokenRegistry,
  options: EmulatorOptions,
): Promise<StartingState> {
  const persisted = options.dataDir && !options.fresh ? await readState(options.dataDir) : undefined;
  if (persisted) {
    loadFixture(ctx, persisted.fixture);
    restoreDetails(ctx.store, persisted);
    if (persisted.webhooks) ctx.webhooks.restore(persisted.webhooks);
    for (const grant of persisted.tokens) tokens.add(grant);
  } else {
    const fixture = await resolveSeed(options.seed ?? 'empty');
    if (fixture) loadFixture(ctx, fixture);
  }
  for (const token of options.tokens ?? []) tokens.add(fullAccessGrant(token, ensureOwner(ctx)));
  let generatedToken = false;
  if (tokens.list().length === 0) {
    tokens.add(fullAccessGrant(generateToken(ctx.ids), ensureOwner(ctx)));
    generatedToken = true;
  }
  return { persisted, generatedToken };
}
