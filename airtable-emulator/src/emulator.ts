import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseQuery } from '@airsuite/airtable-gateway/wire';
import type { EmulatorContext } from './context.ts';
import { FormulaCache } from './fields/formula-cache.ts';
import { AirtableApiError } from './http/airtable-error.ts';
import { type TokenGrant, TokenRegistry } from './http/auth.ts';
import { parseJsonBody, readBody } from './http/body.ts';
import { errors } from './http/errors.ts';
import { type FaultSettings, NO_FAULTS } from './http/faults.ts';
import { serveV0 } from './http/pipeline.ts';
import { DEFAULT_RATE_LIMITS, type RateLimitSettings, SlidingWindowLimiter } from './http/rate-limiter.ts';
import { type RequestGuardSettings, refuseAdminCall, refuseForeignRequest } from './http/request-guard.ts';
import { sendJson } from './http/respond.ts';
import { Router, splitPath } from './http/router.ts';
import { RequestStats } from './http/stats.ts';
import { directoryFileStore, memoryFileStore } from './model/file-store.ts';
import { createIdGenerator } from './model/ids.ts';
import { EmulatorStore } from './model/store.ts';
import {
  DEFAULT_HOST,
  DEFAULT_ITERATOR_TTL_MS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_URL_LENGTH,
  type EmulatorOptions,
  type SeedOption,
} from './options.ts';
import {
  createStateSaver,
  type PersistedState,
  readState,
  restoreDetails,
  snapshotState,
} from './persistence.ts';
import { IteratorStore } from './records/iterators.ts';
import { type AdminApi, type AdminExtra, registerAdminRoutes } from './routes/admin.ts';
import { registerWebhookAdminRoutes } from './routes/admin-webhooks.ts';
import { ATTACHMENTS_PATH, serveAttachment } from './routes/attachment-urls.ts';
import { registerCommentRoutes } from './routes/comments.ts';
import { registerMetaRoutes } from './routes/meta.ts';
import { registerRecordRoutes } from './routes/records.ts';
import { registerUploadRoutes } from './routes/upload-attachment.ts';
import type { V0Extra } from './routes/v0-request.ts';
import { registerWebhookRoutes } from './routes/webhooks.ts';
import { exportFixture } from './seed/export-fixture.ts';
import type { Fixture } from './seed/fixture-schema.ts';
import { loadFixture } from './seed/load-fixture.ts';
import { sampleFixture } from './seed/sample/index.ts';
import { fullAccessGrant, generateToken } from './tokens.ts';
import { captureChanges } from './webhooks/change-capture.ts';
import { applyAsClient } from './webhooks/client-change.ts';
import { attachNotifier } from './webhooks/notifier.ts';
import { WebhookStore } from './webhooks/webhook-store.ts';

export interface RunningEmulator {
  /** e.g. `http://127.0.0.1:8010`: give it to airtable.js as `endpointUrl`. */
  url: string;
  port: number;
  /** The full-access tokens this emulator accepts (given, persisted, or generated). */
  tokens: string[];
  /** True when the first token was generated for this data (print it for the user). */
  generatedToken: boolean;
  /** True when the bases came from `dataDir`'s stored state rather than from the seed. */
  restored: boolean;
  admin: AdminApi;
  store: EmulatorStore;
  close(): Promise<void>;
}

const DEV_USER = { email: 'dev@airsuite.local', name: 'AirSuite Developer' };

async function resolveSeed(seed: SeedOption): Promise<Fixture | undefined> {
  if (seed === 'empty') return undefined;
  if (seed === 'sample') return sampleFixture();
  if ('file' in seed && typeof seed.file === 'string')
    return JSON.parse(await readFile(seed.file, 'utf8')) as Fixture;
  return seed as Fixture;
}

/** Starts a local Airtable: Web API v0 on `/v0`, admin API on `/__emulator`. */
export async function createEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const ids = createIdGenerator();
  const log = options.log ?? (() => {});
  const store = new EmulatorStore({ ids, now });
  const webhooks = new WebhookStore({ ids, now, touch: () => store.touch() });
  const ctx: EmulatorContext = {
    store,
    ids,
    now,
    formulas: new FormulaCache(),
    iterators: new IteratorStore({
      ttlMs: options.iteratorTtlMs ?? DEFAULT_ITERATOR_TTL_MS,
      maxIterators: 10_000,
      now: () => now().getTime(),
      ids,
    }),
    // Uploaded files live beside the state file, one file each, so the state stays small.
    files: options.dataDir ? directoryFileStore(join(options.dataDir, 'attachments')) : memoryFileStore(),
    webhooks,
  };
  if (options.fresh) ctx.files.clear();
  const tokens = new TokenRegistry();
  const limiter = new SlidingWindowLimiter(() => now().getTime());
  const stats = new RequestStats();
  const rateLimits: RateLimitSettings = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  let faults: FaultSettings = { ...NO_FAULTS };

  const ownerId = (): string => {
    const first = store.users.values().next().value;
    if (first) return first.id;
    const id = ids('usr');
    store.users.set(id, { id, ...DEV_USER });
    return id;
  };

  const persisted: PersistedState | undefined =
    options.dataDir && !options.fresh ? await readState(options.dataDir) : undefined;
  let generatedToken = false;
  if (persisted) {
    loadFixture(ctx, persisted.fixture);
    restoreDetails(store, persisted);
    if (persisted.webhooks) webhooks.restore(persisted.webhooks);
    for (const grant of persisted.tokens) tokens.add(grant);
  } else {
    const fixture = await resolveSeed(options.seed ?? 'empty');
    if (fixture) loadFixture(ctx, fixture);
  }
  for (const token of options.tokens ?? []) tokens.add(fullAccessGrant(token, ownerId()));
  if (tokens.list().length === 0) {
    tokens.add(fullAccessGrant(generateToken(ids), ownerId()));
    generatedToken = true;
  }

  const saver = options.dataDir
    ? createStateSaver({
        dataDir: options.dataDir,
        version: () => store.version,
        snapshot: () => snapshotState(store, tokens.list(), webhooks),
        ...(persisted ? { savedVersion: store.version } : {}),
        log,
      })
    : undefined;
  const persist = () => saver?.persist() ?? Promise.resolve();
  const notifier = attachNotifier(webhooks, {
    now,
    ...options.webhookPings,
    changed: () => {
      store.touch();
      persist().catch((error: unknown) => log(`emulator: ${String(error)}`));
    },
    log,
  });
  let origin = '';

  const addGrant = (grant: TokenGrant) => {
    tokens.add(grant);
    store.touch();
  };
  const admin: AdminApi = {
    reset(seed) {
      // A fixture that does not load must leave the emulator as it was: try it on a scratch store first.
      if (seed !== 'sample' && seed !== 'empty')
        loadFixture({ ...ctx, store: new EmulatorStore({ ids, now }) }, seed);
      store.clear();
      store.users.clear();
      ctx.files.clear();
      webhooks.clear();
      ctx.iterators.expireAll();
      limiter.reset();
      stats.reset();
      faults = { ...NO_FAULTS };
      pipeline.faults = faults;
      if (seed === 'sample') loadFixture(ctx, sampleFixture());
      else if (seed !== 'empty') loadFixture(ctx, seed);
      const owner = ownerId();
      for (const grant of tokens.list()) if (!store.users.has(grant.userId)) grant.userId = owner;
    },
    loadBases(fixture) {
      const existing = new Set(store.bases.keys());
      const baseIds = loadFixture(ctx, fixture).map((b) => b.id);
      // A replaced base is a new base: the old one's webhooks go with it.
      for (const id of baseIds) if (existing.has(id)) webhooks.forgetBase(id);
      return baseIds;
    },
    deleteBase(baseId) {
      webhooks.forgetBase(baseId);
      const existed = store.bases.delete(baseId);
      if (existed) store.touch();
      return existed;
    },
    exportFixture: (baseIds) => exportFixture(store, baseIds),
    addToken(input) {
      let userId = input.userId;
      if (userId && !store.users.has(userId))
        store.users.set(userId, { id: userId, email: input.email ?? `${userId}@airsuite.local` });
      userId ??= ownerId();
      const grant: TokenGrant = {
        token: input.token ?? generateToken(ids),
        userId,
        scopes: input.scopes,
        bases: input.bases,
      };
      addGrant(grant);
      return { ...grant };
    },
    setFaults(settings) {
      faults = { ...settings };
      pipeline.faults = faults;
    },
    faults: () => ({ ...faults }),
    setRateLimits(settings) {
      Object.assign(
        rateLimits,
        Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)),
      );
      limiter.reset();
    },
    rateLimits: () => ({ ...rateLimits }),
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    expireIterators: () => ctx.iterators.expireAll(),
    applyAsClient: (input) => applyAsClient({ router: v0, ctx, ownerId, origin: () => origin }, input),
    expireWebhooks: (filter) => webhooks.expire(filter),
  };

  const v0 = new Router<V0Extra>(captureChanges());
  registerMetaRoutes(v0);
  registerWebhookRoutes(v0);
  registerCommentRoutes(v0);
  registerUploadRoutes(v0);
  registerRecordRoutes(v0);
  const adminRouter = new Router<AdminExtra>();
  registerAdminRoutes(adminRouter);
  registerWebhookAdminRoutes(adminRouter);

  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const pipeline = {
    ctx,
    tokens,
    limiter,
    rateLimits,
    faults,
    stats,
    router: v0,
    random,
    maxBodyBytes,
    maxUrlLength: options.maxUrlLength ?? DEFAULT_MAX_URL_LENGTH,
    log,
    persist,
  };

  const guard: RequestGuardSettings = {
    boundHost: options.host ?? DEFAULT_HOST,
    allowedHosts: options.allowedHosts ?? [],
    allowedOrigins: options.allowedOrigins ?? [],
    ...(options.adminToken ? { adminToken: options.adminToken } : {}),
  };

  const serveAdmin = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    try {
      if (!(req.method === 'GET' && url.pathname === '/__emulator/health')) {
        const refusal = refuseAdminCall(req.headers, guard);
        if (refusal) throw refusal;
      }
      const route = adminRouter.match(req.method ?? 'GET', splitPath(url.pathname) ?? []);
      if (route === undefined || route === 'method') throw errors.notFound();
      const body = ['GET', 'DELETE'].includes(req.method ?? 'GET')
        ? undefined
        : parseJsonBody(await readBody(req, maxBodyBytes * 4));
      const result = await route.handler({
        params: route.params,
        query: parseQuery(url.searchParams),
        body,
        extra: { admin },
      });
      await persist();
      sendJson(res, result.status, result.body);
    } catch (error) {
      if (!(error instanceof AirtableApiError))
        log(`emulator admin: ${(error as Error)?.stack ?? String(error)}`);
      const answer = error instanceof AirtableApiError ? error : errors.serverError();
      sendJson(res, answer.status, answer.toBody());
    }
  };

  // Node's default 16 KiB header limit would answer long URLs with a bare 431 before the
  // emulator's own Airtable-shaped 414 (URLs over maxUrlLength) could.
  const server = createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator.local');
    const refusal = refuseForeignRequest(req.headers, guard);
    if (refusal) {
      sendJson(res, refusal.status, refusal.toBody());
      return;
    }
    const done = url.pathname.startsWith('/__emulator/')
      ? serveAdmin(req, res, url)
      : url.pathname.startsWith(ATTACHMENTS_PATH)
        ? serveAttachment(ctx.files, req, res, url)
        : serveV0(pipeline, req, res, url);
    // Changes are saved before their answer; this catches those whose request failed half-way.
    done.finally(persist).catch((error: unknown) => log(`emulator: ${String(error)}`));
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8010, options.host ?? DEFAULT_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? DEFAULT_HOST;
  await persist();
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url: origin,
    port,
    tokens: tokens
      .list()
      .filter((g) => g.scopes.length > 0 && g.bases === 'all')
      .map((g) => g.token),
    generatedToken,
    restored: persisted !== undefined,
    admin,
    store,
    async close() {
      await notifier.close();
      await persist();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
