import type { TokenGrant } from '../http/auth.ts';
import { NO_FAULTS } from '../http/faults.ts';
import type { PipelineDeps } from '../http/pipeline.ts';
import { EmulatorStore } from '../model/store.ts';
import { exportFixture } from '../seed/export-fixture.ts';
import type { Fixture } from '../seed/fixture-schema.ts';
import { loadFixture } from '../seed/load-fixture.ts';
import { sampleFixture } from '../seed/sample/index.ts';
import { generateToken } from '../tokens.ts';
import { applyAsClient } from '../webhooks/client-change.ts';
import type { AdminApi } from './admin.ts';

export interface AdminApiDeps {
  /** The `/v0` pipeline: the admin API changes its faults and limits in place. */
  pipeline: PipelineDeps;
  ownerId: () => string;
  /** The emulator's own origin, known once it listens. */
  origin: () => string;
}

function reset({ pipeline, ownerId }: AdminApiDeps, seed: 'sample' | 'empty' | Fixture): void {
  const { ctx, tokens } = pipeline;
  // A fixture that does not load must leave the emulator as it was: try it on a scratch store first.
  if (seed !== 'sample' && seed !== 'empty')
    loadFixture({ ...ctx, store: new EmulatorStore({ ids: ctx.ids, now: ctx.now }) }, seed);
  ctx.store.clear();
  ctx.ids.restart?.();
  ctx.store.users.clear();
  ctx.files.clear();
  ctx.webhooks.clear();
  ctx.iterators.expireAll();
  pipeline.limiter.reset();
  pipeline.stats.reset();
  pipeline.faults = { ...NO_FAULTS };
  if (seed === 'sample') loadFixture(ctx, sampleFixture());
  else if (seed !== 'empty') loadFixture(ctx, seed);
  const owner = ownerId();
  for (const grant of tokens.list()) if (!ctx.store.users.has(grant.userId)) grant.userId = owner;
}

function addToken({ pipeline, ownerId }: AdminApiDeps, input: Parameters<AdminApi['addToken']>[0]) {
  const { store } = pipeline.ctx;
  let userId = input.userId;
  if (userId && !store.users.has(userId))
    store.users.set(userId, { id: userId, email: input.email ?? `${userId}@airsuite.local` });
  userId ??= ownerId();
  const grant: TokenGrant = {
    token: input.token ?? generateToken(pipeline.ctx.ids),
    userId,
    scopes: input.scopes,
    bases: input.bases,
  };
  pipeline.tokens.add(grant);
  store.touch();
  return { ...grant };
}

/** The admin operations of one emulator, over the same state its `/v0` pipeline serves. */
export function createAdminApi(deps: AdminApiDeps): AdminApi {
  const { pipeline } = deps;
  const { ctx } = pipeline;
  return {
    reset: (seed) => reset(deps, seed),
    loadBases(fixture) {
      const existing = new Set(ctx.store.bases.keys());
      const baseIds = loadFixture(ctx, fixture).map((b) => b.id);
      // A replaced base is a new base: the old one's webhooks go with it.
      for (const id of baseIds) if (existing.has(id)) ctx.webhooks.forgetBase(id);
      return baseIds;
    },
    deleteBase(baseId) {
      ctx.webhooks.forgetBase(baseId);
      const existed = ctx.store.bases.delete(baseId);
      if (existed) ctx.store.touch();
      return existed;
    },
    exportFixture: (baseIds) => exportFixture(ctx.store, baseIds),
    addToken: (input) => addToken(deps, input),
    setFaults(settings) {
      pipeline.faults = { ...settings };
    },
    faults: () => ({ ...pipeline.faults }),
    setRateLimits(settings) {
      Object.assign(
        pipeline.rateLimits,
        Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)),
      );
      pipeline.limiter.reset();
    },
    rateLimits: () => ({ ...pipeline.rateLimits }),
    stats: () => pipeline.stats.snapshot(),
    resetStats: () => pipeline.stats.reset(),
    expireIterators: () => ctx.iterators.expireAll(),
    applyAsClient: (input) =>
      applyAsClient({ router: pipeline.router, ctx, ownerId: deps.ownerId, origin: deps.origin }, input),
    expireWebhooks: (filter) => ctx.webhooks.expire(filter),
  };
}
