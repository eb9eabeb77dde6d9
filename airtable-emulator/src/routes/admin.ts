import { z } from 'zod';
import { AirtableApiError } from '../http/airtable-error.ts';
import { ALL_SCOPES } from '../http/auth.ts';
import { faultSchema } from '../http/faults.ts';
import type { Router } from '../http/router.ts';
import type { Fixture } from '../seed/fixture-schema.ts';
import { FixtureError } from '../seed/load-fixture.ts';
import type { WebhookAdminApi } from './admin-webhooks.ts';

/** The admin operations of a running emulator, as the admin API exposes them. */
export interface AdminApi extends WebhookAdminApi {
  reset(seed: 'sample' | 'empty' | Fixture): void;
  loadBases(fixture: unknown): string[];
  deleteBase(baseId: string): boolean;
  exportFixture(baseIds?: string[]): Fixture;
  addToken(input: z.output<typeof tokenSchema>): {
    token: string;
    userId: string;
    scopes: string[];
    bases: string[] | 'all';
  };
  setFaults(settings: z.output<typeof faultSchema>): void;
  faults(): unknown;
  setRateLimits(settings: z.output<typeof rateLimitSchema>): void;
  rateLimits(): unknown;
  stats(): unknown;
  resetStats(): void;
  expireIterators(): number;
}

export const tokenSchema = z
  .object({
    token: z
      .string()
      .regex(/^\S{8,256}$/, 'tokens are 8-256 characters without spaces')
      .optional(),
    userId: z
      .string()
      .regex(/^usr[A-Za-z0-9]{14}$/)
      .optional(),
    email: z.string().email().optional(),
    scopes: z.array(z.enum(ALL_SCOPES)).default([...ALL_SCOPES]),
    bases: z.union([z.literal('all'), z.array(z.string())]).default('all'),
  })
  .strict();

export const rateLimitSchema = z
  .object({
    enabled: z.boolean().optional(),
    perBase: z.number().int().min(1).optional(),
    perOwner: z.number().int().min(1).optional(),
    penaltyMs: z.number().int().min(0).optional(),
  })
  .strict();

const resetSchema = z
  .object({
    seed: z.union([z.enum(['sample', 'empty']), z.record(z.string(), z.unknown())]).default('empty'),
  })
  .strict();

export interface AdminExtra {
  admin: AdminApi;
}

function invalid(message: string): AirtableApiError {
  return new AirtableApiError(422, 'EMULATOR_INVALID_REQUEST', message);
}

/** Reads an admin body with its schema; what does not fit is 422 EMULATOR_INVALID_REQUEST. */
export function parseAdminBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success)
    throw invalid(result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return result.data;
}

function fixtureCall<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof FixtureError) throw new AirtableApiError(422, error.code, error.message);
    throw error;
  }
}

/** `/__emulator/...`: control and observation for tests and benchmarks, never part of `/v0`. */
export function registerAdminRoutes(router: Router<AdminExtra>): void {
  router
    .on('GET', '/__emulator/health', () => ({ status: 200, body: { ok: true } }))
    .on('GET', '/__emulator/stats', (req) => ({ status: 200, body: req.extra.admin.stats() }))
    .on('DELETE', '/__emulator/stats', (req) => {
      req.extra.admin.resetStats();
      return { status: 200, body: req.extra.admin.stats() };
    })
    .on('GET', '/__emulator/faults', (req) => ({ status: 200, body: req.extra.admin.faults() }))
    .on('PUT', '/__emulator/faults', (req) => {
      req.extra.admin.setFaults(parseAdminBody(faultSchema, req.body));
      return { status: 200, body: req.extra.admin.faults() };
    })
    .on('DELETE', '/__emulator/faults', (req) => {
      req.extra.admin.setFaults(faultSchema.parse({}));
      return { status: 200, body: req.extra.admin.faults() };
    })
    .on('GET', '/__emulator/rate-limits', (req) => ({ status: 200, body: req.extra.admin.rateLimits() }))
    .on('PUT', '/__emulator/rate-limits', (req) => {
      req.extra.admin.setRateLimits(parseAdminBody(rateLimitSchema, req.body));
      return { status: 200, body: req.extra.admin.rateLimits() };
    })
    .on('POST', '/__emulator/reset', (req) => {
      const { seed } = parseAdminBody(resetSchema, req.body);
      fixtureCall(() => req.extra.admin.reset(seed as 'sample' | 'empty' | Fixture));
      return { status: 200, body: { ok: true } };
    })
    .on('POST', '/__emulator/bases', (req) => ({
      status: 200,
      body: { baseIds: fixtureCall(() => req.extra.admin.loadBases(req.body)) },
    }))
    .on('DELETE', '/__emulator/bases/:baseId', (req) => {
      if (!req.extra.admin.deleteBase(req.params.baseId as string)) throw invalid('No such base');
      return { status: 200, body: { deleted: true, id: req.params.baseId } };
    })
    .on('GET', '/__emulator/export', (req) => {
      const raw = req.query.baseId;
      const baseIds = raw === undefined ? undefined : (Array.isArray(raw) ? raw : [raw]).map(String);
      return { status: 200, body: req.extra.admin.exportFixture(baseIds) };
    })
    .on('POST', '/__emulator/tokens', (req) => ({
      status: 200,
      body: req.extra.admin.addToken(parseAdminBody(tokenSchema, req.body)),
    }))
    .on('POST', '/__emulator/iterators/expire', (req) => ({
      status: 200,
      body: { expired: req.extra.admin.expireIterators() },
    }));
}
